"""The golden profiles in fixtures/profiles/ validate against the schema; the one recorded for the optional
fields (rules_engine on Python 3.12 with its libraries in a layer built by Python 3.11) holds them as the
format describes."""

import glob
import json
import os

import pytest

from conftest import REPO_DIR, validate

PROFILES_DIR = os.path.join(REPO_DIR, "fixtures", "profiles")
GOLDEN = sorted(glob.glob(os.path.join(PROFILES_DIR, "*.json")))
LAYER_GOLDEN = os.path.join(PROFILES_DIR, "rules_engine.py312-layer311.json")


@pytest.mark.parametrize("path", GOLDEN, ids=[os.path.basename(path) for path in GOLDEN])
def test_golden_profile_validates(path):
    with open(path, encoding="utf-8") as source:
        validate(json.load(source))


def test_layer_golden_records_bytecode_statements_and_use_at_init():
    with open(LAYER_GOLDEN, encoding="utf-8") as source:
        profile = validate(json.load(source))
    files = profile["files"]
    root = profile["app"]["root"]
    assert profile["environment"]["cacheTag"] == "cpython-312"
    assert profile["settings"]["usageSignal"] == "sys.monitoring"
    for cold_start in profile["coldStarts"]:
        modules = {m["name"]: m for m in cold_start["modules"]}
        # The layer's libraries carry cpython-311 bytecode only: compiled on every cold start.
        for name in ("policyuniverse", "policyuniverse.policy", "pathlib2", "six"):
            bytecode = modules[name]["bytecode"]
            assert (bytecode["from"], bytecode["cause"], bytecode["cacheWritten"]) == (
                "source", "other-version", False), name
            assert 0 < bytecode["compileUs"] <= modules[name]["selfUs"]
        # The app's own files have no cache at all; the interpreter's standard library has a valid one.
        assert modules["rules"]["bytecode"]["cause"] == "none"
        assert modules["json"]["bytecode"] == {"from": "cache"}
        # rules.load_rules(), called at handler.py:13, imports each rule module with importlib.
        statement = modules["rules.cloudtrail_public_resources"]["statement"]
        assert (files[statement["file"]], statement["line"]) == (os.path.join(root, "handler.py"), 13)
        assert [(files[c["file"]], c["function"]) for c in statement["chain"]] == [
            (os.path.join(root, "rules", "__init__.py"), "load_rules")]
        assert "statement" not in modules["policyuniverse.policy"]  # an import statement in a module body
        usage = cold_start["moduleUsage"]
        assert usage["rules"]["usedAtInit"] is True and "handler" in usage["rules"]["initCallers"]
        # load_rules() runs for most of init (it imports the rules): sampled inside it, called by handler.py.
        assert usage["rules"]["importPhaseCallSamples"] > 0
        assert usage["rules.helpers"]["usedAtInit"] is False
