"""The exact usage signal: which modules' code ran in each invocation, and which method saw it."""

import pytest

from conftest import interpreter_version, profile_app, write_app

APP = {
    "handler.py": """
        import tiny_mod
        import import_only_mod


        def handler(event, context):
            if event["kind"] == "a":
                return tiny_mod.tiny()
            return None
        """,
    # Far too short for a 1 ms sampler to see.
    "tiny_mod.py": """
        def tiny():
            return 1


        def setup():
            return 2


        setup()  # runs during the import: not use by a handler call
        """,
    "import_only_mod.py": """
        def register():
            return 3


        register()
        """,
    "events/a.json": {"kind": "a"},
    "events/b.json": {"kind": "b"},
}


def executed(profile):
    return [[(inv["event"], inv["modulesExecuted"]) for inv in cs["invocations"]] for cs in profile["coldStarts"]]


def expected_usage(profile):
    assert [[inv["event"] for inv in cs["invocations"]] for cs in profile["coldStarts"]] == [
        ["a.json", "b.json", "a.json"], ["b.json", "a.json", "b.json"]]
    assert executed(profile) == [
        [("a.json", ["handler", "tiny_mod"]), ("b.json", ["handler"]), ("a.json", ["handler", "tiny_mod"])],
        [("b.json", ["handler"]), ("a.json", ["handler", "tiny_mod"]), ("b.json", ["handler"])],
    ]
    for cold_start in profile["coldStarts"]:
        assert cold_start["moduleUsage"]["tiny_mod"]["executed"] is True
        assert cold_start["moduleUsage"]["import_only_mod"]["executed"] is False


def test_the_default_is_exact_sys_monitoring_or_setprofile(tmp_path, python):
    """Without --usage-signal the local runner records which modules ran, on every interpreter."""
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "3"])
    assert profile["settings"]["usageSignal"] == (
        "sys.monitoring" if interpreter_version(python) >= (3, 12) else "setprofile")
    expected_usage(profile)


def test_auto_uses_sys_monitoring_where_available(tmp_path, python):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "3",
                                                     "--usage-signal", "auto"])
    if interpreter_version(python) >= (3, 12):
        assert profile["settings"]["usageSignal"] == "sys.monitoring"
        expected_usage(profile)
    else:
        assert profile["settings"]["usageSignal"] == "none"
        assert all(not inv["modulesExecuted"] for cs in profile["coldStarts"] for inv in cs["invocations"])
        assert all(not usage["executed"] for cs in profile["coldStarts"] for usage in cs["moduleUsage"].values())


def test_setprofile_on_request(tmp_path, python):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "3",
                                                     "--usage-signal", "setprofile"])
    assert profile["settings"]["usageSignal"] == "setprofile"
    expected_usage(profile)


def test_sys_monitoring_requested_where_missing_is_reported(tmp_path, python):
    if interpreter_version(python) >= (3, 12):
        pytest.skip("this interpreter has sys.monitoring")
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--usage-signal", "sys.monitoring"])
    assert profile["settings"]["usageSignal"] == "none"
    assert any("sys.monitoring needs Python 3.12+" in e["message"] for e in profile["errors"])
