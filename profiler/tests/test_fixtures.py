"""The fixture apps (fixtures/apps/*, dependencies installed by .ci/install.d/15-fixtures.sh into python3):
every profile validates, every trigger in the app's code points at an import statement, and every import
of 20 ms or more agrees with CPython's own -X importtime (both watching the same imports, see
test_importtime)."""

import json
import os
import re
import statistics

import pytest

from conftest import REPO_DIR, agent_env, run_cli, validate
from test_importtime import importtime_lines

APPS_DIR = os.path.join(REPO_DIR, "fixtures", "apps")
APPS = sorted(name for name in os.listdir(APPS_DIR) if os.path.isfile(os.path.join(APPS_DIR, name, "handler.py"))) \
    if os.path.isdir(APPS_DIR) else []
IMPORT_STATEMENT = re.compile(r"\bimport\b|import_module\(|__import__\(")


@pytest.mark.skipif(not APPS, reason="no fixture apps in this checkout")
@pytest.mark.parametrize("app", APPS)
def test_fixture_profile(tmp_path, app):
    root = os.path.join(APPS_DIR, app)
    output = str(tmp_path / "profile.json")
    env = agent_env()
    env["PYTHONPROFILEIMPORTTIME"] = "1"
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "--cold-starts", "3", "-o", output], env=env)
    assert completed.returncode == 0, completed.stderr[-3000:]
    with open(output) as source:
        profile = validate(json.load(source))
    files = profile["files"]

    sources = {}
    for cold_start in profile["coldStarts"]:
        for module in cold_start["modules"]:
            if module["trigger"] is None:
                continue
            path, line = files[module["trigger"]["file"]], module["trigger"]["line"]
            if not path.startswith(root + os.sep):
                continue  # in libraries, C extensions import too: their trigger is the line calling into C
            if path not in sources:
                with open(path, encoding="utf-8", errors="replace") as text:
                    sources[path] = text.read().splitlines()
            lines = sources[path]
            # The statement may span lines (parenthesised from-imports): look at it and a few lines above.
            statement = "\n".join(lines[max(0, line - 6):line])
            assert IMPORT_STATEMENT.search(statement), "%s: trigger %s:%d is no import: %r" % (
                module["name"], path, line, lines[line - 1])

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
