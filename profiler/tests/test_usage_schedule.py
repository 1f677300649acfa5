"""Inside Lambda the sys.monitoring usage signal watches a few invocations of each environment, not every one:
re-arming it makes every function a call runs report itself again, a cost per warm call that grows with the
handler. Between watched calls only code that has never run reports, so the environment's use of each module
stays exact."""

import json
import sys

import pytest
from conftest import started_local_session, validate, write_app

from coldspy import lambda_runtime


def test_invocations_1_to_4_then_the_8th_16th_32nd_and_so_on_are_watched():
    assert [index for index in range(1000) if lambda_runtime.watches_usage(index)] == [
        0, 1, 2, 3, 7, 15, 31, 63, 127, 255, 511]


@pytest.mark.skipif(not hasattr(sys, "monitoring"), reason="sys.monitoring is Lambda's usage signal from 3.12")
def test_unwatched_invocations_list_no_modules_and_the_environment_still_sees_every_module_it_used(
        tmp_path, monkeypatch):
    write_app(tmp_path, {"watched_a.py": "def a():\n    return 1\n", "watched_b.py": "def b():\n    return 2\n"})
    monkeypatch.syspath_prepend(str(tmp_path))
    session = started_local_session(tmp_path, monkeypatch)
    try:
        import watched_a
        import watched_b
        session.end_init()

        def handler(event, context):
            return watched_b.b() if event == "b" else watched_a.a()

        # The 6th call (unwatched) runs watched_b for the first time; the 8th is watched again.
        for event in ["a", "a", "a", "a", "a", "b", "a", "a"]:
            session.invoke(handler, event, None)
        session.flush()
    finally:
        session.agent.finish()
        sys.modules.pop("watched_a", None)
        sys.modules.pop("watched_b", None)
    with open(session.path) as source:
        profile = validate(json.load(source))
    cold_start = profile["coldStarts"][0]
    assert profile["settings"]["usageSignal"] == "sys.monitoring"
    invocations = cold_start["invocations"]
    assert [invocation.get("usageObserved", True) for invocation in invocations] == [True] * 4 + [False] * 3 + [True]
    assert [[name for name in invocation["modulesExecuted"] if name.startswith("watched_")]
            for invocation in invocations] == [["watched_a"]] * 4 + [[]] * 3 + [["watched_a"]]
    assert cold_start["moduleUsage"]["watched_b"]["executed"] is True
    assert cold_start["moduleUsage"]["watched_a"]["executed"] is True
