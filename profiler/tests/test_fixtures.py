"""The fixture apps (fixtures/apps/*, dependencies installed by scripts/setup.d/15-fixtures.sh into python3):
every profile validates, every trigger in the app's code points at an import statement (or at a call into C
code that imports), and every import
of 20 ms or more agrees with CPython's own -X importtime (both watching the same imports, see
test_importtime)."""

import ast
import json
import os
import statistics
import sys

import pytest

from conftest import REPO_DIR, agent_env, run_cli, validate
from test_importtime import importtime_lines

APPS_DIR = os.path.join(REPO_DIR, "fixtures", "apps")
OUTPUTS_DIR = os.path.join(REPO_DIR, "fixtures", "outputs")
APPS = sorted(name for name in os.listdir(APPS_DIR) if os.path.isfile(os.path.join(OUTPUTS_DIR, name + ".json"))) \
    if os.path.isdir(APPS_DIR) else []


def handler_spec(app):
    """FILE.py:FUNCTION as the app's recorded outputs name it (heart_rate's file is measure-heart-rate.py)."""
    with open(os.path.join(OUTPUTS_DIR, app + ".json"), encoding="utf-8") as outputs:
        return json.load(outputs)["handler"]


def import_spans(source):
    """(first line, last line) of every import in `source`: import statements, and calls of
    importlib.import_module / import_module / __import__ (an import's trigger is the line executing it);
    then, separately, of every other call: C code imports while it runs (`pickle.loads` importing the
    classes it unpickles, an extension module's init), and its trigger is the line calling into C."""
    spans, calls = [], []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            spans.append((node.lineno, node.end_lineno))
        elif isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            (spans if name in ("import_module", "__import__") else calls).append((node.lineno, node.end_lineno))
    return spans, calls


@pytest.mark.skipif(not APPS, reason="no fixture apps in this checkout")
@pytest.mark.parametrize("app", APPS)
def test_fixture_profile(tmp_path, app):
    root = os.path.join(APPS_DIR, app)
    output = str(tmp_path / "profile.json")
    env = agent_env()
    env["PYTHONPROFILEIMPORTTIME"] = "1"
    completed = run_cli(["run", os.path.join(root, handler_spec(app)), "--event", os.path.join(root, "events"),
                         "--cold-starts", "3", "-o", output], env=env)
    assert completed.returncode == 0, completed.stderr[-3000:]
    with open(output) as source:
        profile = validate(json.load(source))
    files = profile["files"]

    spans_by_file = {}
    checked = 0
    for cold_start in profile["coldStarts"]:
        for module in cold_start["modules"]:
            if module["trigger"] is None:
                continue
            path, line = files[module["trigger"]["file"]], module["trigger"]["line"]
            if not path.startswith(root + os.sep):
                continue  # in libraries, C extensions import too: their trigger is the line calling into C
            if path not in spans_by_file:
                with open(path, encoding="utf-8") as text:
                    spans_by_file[path] = import_spans(text.read())
            # A statement may span lines (parenthesised from-imports): the line executing it lies within.
            imports, calls = spans_by_file[path]
            assert any(first <= line <= last for first, last in imports + calls), \
                "%s: trigger %s:%d lies in no import or call of that file %s" % (module["name"], path, line,
                                                                                 imports)
            checked += any(first <= line <= last for first, last in imports)
        assert all(m["phase"] == "init" for m in cold_start["modules"] if "statement" in m)
    assert checked, "no import of %s was triggered by the app's own code" % app

    # Every heavy import: CPython printed its own figure for the same import. -X importtime only times the
    # import statement's C path: modules loaded through importlib.import_module are not in its output.
    reference = importtime_lines(completed.stderr)
    printed = {name for name, _ in reference}
    heavy = [m["name"] for m in profile["coldStarts"][0]["modules"]
             if m["cumulativeUs"] >= 20000 and m["name"] in printed]
    assert heavy, "no import of %s takes 20 ms or more" % app
    for name in heavy:
        ours = [[m["cumulativeUs"] for m in cs["modules"] if m["name"] == name] for cs in profile["coldStarts"]]
        per_cold_start = len(ours[0])
        # The runner itself runs with PYTHONPROFILEIMPORTTIME too, and imports (json, ...) before the children.
        theirs = [cumulative for printed_name, cumulative in reference if printed_name == name]
        theirs = theirs[len(theirs) - per_cold_start * len(ours):]
        assert all(len(times) == per_cold_start for times in ours) and len(theirs) == per_cold_start * len(ours)
        ratios = []
        for index, mine in enumerate(ours):
            # A module can be imported twice within one import (importing `a.b` first imports package `a`,
            # whose __init__ imports `a.b`): CPython prints in completion order, the profile in start order.
            cpython = theirs[index * per_cold_start:(index + 1) * per_cold_start]
            ratios += [a / b for a, b in zip(sorted(mine), sorted(cpython))]
        assert 0.9 <= statistics.median(ratios) <= 1.1, "%s: coldspy %s µs, -X importtime %s µs" % (
            name, ours, theirs)


@pytest.mark.skipif("html_render" not in APPS, reason="no html_render fixture app in this checkout")
def test_default_settings_profile_has_triggers_and_execution_samples(tmp_path):
    """What `coldspy run` gives without any option (the golden profiles pin --usage-signal setprofile and
    --clock wall): the CPU clock at 1 ms, the exact usage signal, the same trigger lines. html_render:
    its first call per cold start renders templates for hundreds of milliseconds, so CPU-clock samples fall
    into the handler's own code (rules_engine's calls take ~1 ms of CPU: no sample is certain)."""
    root = os.path.join(APPS_DIR, "html_render")
    output = str(tmp_path / "profile.json")
    completed = run_cli(["run", os.path.join(root, handler_spec("html_render")), "--event", os.path.join(root, "events"),
                         "--cold-starts", "2", "-o", output])
    assert completed.returncode == 0, completed.stderr[-3000:]
    with open(output) as source:
        profile = validate(json.load(source))
    files = profile["files"]

    settings = profile["settings"]
    assert (settings["clock"], settings["sampleIntervalUs"]) == ("cpu", 1000)
    assert settings["usageSignal"] == ("sys.monitoring" if hasattr(sys, "monitoring") else "setprofile")
    assert all(invocation["modulesExecuted"] for cold_start in profile["coldStarts"]
               for invocation in cold_start["invocations"])
    with open(os.path.join(root, "expected-findings.json")) as source:
        expected = json.load(source)
    for finding in expected:
        for cold_start in profile["coldStarts"]:
            module = next(m for m in cold_start["modules"] if m["name"] == finding["imports"])
            assert (files[module["trigger"]["file"]], module["trigger"]["line"]) == (
                os.path.join(root, finding["file"]), finding["line"]), finding
    assert all(cs["samples"]["execution"] > 0 for cs in profile["coldStarts"])
    frames, nodes = profile["callTree"]["frames"], profile["callTree"]["nodes"]

    def under_app_code(index):
        while index > 0:
            if files[frames[nodes[index][1]][0]].startswith(root + os.sep):
                return True
            index = nodes[index][0]
        return False

    # Self counts sit on the innermost frames (in chameleon); the handler's frame is on their path.
    assert any(node[3] > 0 and under_app_code(index) for index, node in enumerate(nodes) if index > 0), \
        "no execution sample below the app's own code"
