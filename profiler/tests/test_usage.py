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


def code_counters_profile(tmp_path, python, app, cold_starts, invocations):
    """The profile of `app` asked for with the code-counters usage signal (skips on 3.12+)."""
    if interpreter_version(python) >= (3, 12):
        pytest.skip("code counters are read before Python 3.12")
    root = write_app(tmp_path, app)
    return profile_app(root, python=python, extra=["--cold-starts", str(cold_starts), "--invocations",
                                                  str(invocations), "--usage-signal", "code-counters"])


def counted_profile(tmp_path, python, app, cold_starts, invocations):
    """The profile of `app` with the code-counters usage signal, which must have worked (skips on 3.12+)."""
    profile = code_counters_profile(tmp_path, python, app, cold_starts, invocations)
    assert profile["settings"]["usageSignal"] == "code-counters"
    assert profile["errors"] == []
    return profile


def test_code_counters_see_each_cold_starts_invocations_together(tmp_path, python):
    """The code counters see a cold start's invocations together, not each one."""
    profile = counted_profile(tmp_path, python, APP, cold_starts=2, invocations=3)
    assert all(not inv["modulesExecuted"] for cs in profile["coldStarts"] for inv in cs["invocations"])
    for cold_start in profile["coldStarts"]:
        # both cold starts serve an "a" event, which calls tiny_mod.tiny(); tiny_mod.setup() and
        # import_only_mod.register() ran during init only
        assert cold_start["moduleUsage"]["tiny_mod"]["executed"] is True
        assert cold_start["moduleUsage"]["handler"]["executed"] is True
        assert cold_start["moduleUsage"]["import_only_mod"]["executed"] is False
        assert not any(usage.get("executedUnknown") for usage in cold_start["moduleUsage"].values())


# Functions that run more often during init than any of 3.9-3.11's counters count (1024 and 8 runs): their
# counters have stopped when init ends, and must still show a later run (or its absence).
HOT_AT_INIT_APP = {
    "handler.py": """
        import hot_used
        import hot_unused


        def handler(event, context):
            return hot_used.scale(event["n"]), hot_used.squares(3), hot_used.counter()
        """,
    "hot_used.py": """
        def make_counter():
            count = [0]

            def counter():
                count[0] += 1
                return count[0]
            return counter


        def scale(value, factor=2):
            return value * factor


        def squares(n):
            return [i * i for i in range(n)]


        counter = make_counter()
        for i in range(1500):
            scale(i)
            squares(2)
            counter()
        """,
    "hot_unused.py": """
        def helper(value):
            return value + 1


        for i in range(1500):
            helper(i)
        """,
    "events/a.json": {"n": 21},
}


def test_code_counters_see_functions_whose_counters_stopped_during_init(tmp_path, python):
    profile = counted_profile(tmp_path, python, HOT_AT_INIT_APP, cold_starts=1, invocations=2)
    usage = profile["coldStarts"][0]["moduleUsage"]
    assert usage["hot_used"]["executed"] is True
    assert usage["hot_unused"]["executed"] is False
    assert "executedUnknown" not in usage["hot_unused"]
    # the re-armed functions (default arguments, a closure, a comprehension) still run without error; their
    # results are checked in-process by test_code_counters.py
    results = [inv["outcome"] for inv in profile["coldStarts"][0]["invocations"]]
    assert results == ["return", "return"]


def test_code_counters_requested_on_3_12_or_later_are_reported(tmp_path, python):
    if interpreter_version(python) < (3, 12):
        pytest.skip("this interpreter has code counters")
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--usage-signal", "code-counters"])
    assert profile["settings"]["usageSignal"] == "none"
    assert any("code counters are read before Python 3.12 only" in e["message"] for e in profile["errors"])


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


def test_code_counters_that_cannot_be_read_give_no_usage_rather_than_none_used(tmp_path, python):
    profile = code_counters_profile(tmp_path, python, {
        "handler.py": """
            import gc
            import tiny_mod


            def handler(event, context):
                gc.freeze()  # hides every function from the walk that reads the counters
                return tiny_mod.tiny()
            """,
        "tiny_mod.py": "def tiny():\n    return 1\n",
        "events/a.json": {},
    }, cold_starts=1, invocations=3)
    assert profile["settings"]["usageSignal"] == "none"
    assert any("gc.freeze()" in error["message"] for error in profile["errors"])
    assert not any(usage["executed"] for usage in profile["coldStarts"][0]["moduleUsage"].values())


def test_what_the_code_counters_reader_imports_is_not_recorded_as_the_handlers(tmp_path, python):
    profile = counted_profile(tmp_path, python, APP, cold_starts=1, invocations=1)
    recorded = {module["name"] for module in profile["coldStarts"][0]["modules"]}
    assert not recorded & {"coldspy.code_counters", "_ctypes"}, recorded


def test_code_counters_see_a_generator_suspended_since_init_or_say_they_cannot(tmp_path, python):
    """A generator started during init keeps running the code its frame had then, which no re-arming reaches:
    its runs show where its counter still moves (3.9/3.10), else its module is "executedUnknown" (3.11, whose
    counter stops after 8 runs and loop turns) — never "did not run"."""
    profile = counted_profile(tmp_path, python, {
        "handler.py": """
            import idgen


            def handler(event, context):
                return next(idgen.IDS)
            """,
        "idgen.py": """
            def ids():
                n = 0
                while True:
                    n += 1
                    yield n


            IDS = ids()
            for _ in range(5):
                next(IDS)
            """,
        "events/a.json": {},
    }, cold_starts=1, invocations=1)
    usage = profile["coldStarts"][0]["moduleUsage"]["idgen"]
    if interpreter_version(python) >= (3, 11):
        assert usage == {"samples": 0, "executed": False, "executedUnknown": True}, usage
    else:
        assert usage["executed"] is True, usage


def test_code_counters_see_a_function_that_ran_once_and_was_freed(tmp_path, python):
    profile = counted_profile(tmp_path, python, {
        "handler.py": """
            import oneshot


            def handler(event, context):
                return oneshot.PENDING.pop()()
            """,
        "oneshot.py": "PENDING = [lambda: 1]\n",
        "events/a.json": {},
    }, cold_starts=1, invocations=1)
    assert profile["coldStarts"][0]["moduleUsage"]["oneshot"]["executed"] is True


def test_a_cold_start_whose_code_counters_failed_makes_the_whole_profile_sampled(tmp_path, python):
    # cold start 0 serves a.json (its counters are read), cold start 1 b.json (they cannot be)
    profile = code_counters_profile(tmp_path, python, {
        "handler.py": """
            import gc
            import reports


            def handler(event, context):
                if event["kind"] == "b":
                    reports.render()
                    gc.freeze()  # this cold start's counters cannot be read: it falls back to none
                return 1
            """,
        "reports.py": "def render():\n    return 'report'\n",
        "events/a.json": {"kind": "a"},
        "events/b.json": {"kind": "b"},
    }, cold_starts=2, invocations=1)
    assert profile["settings"]["usageSignal"] == "none"
    assert any("different usage signals (code-counters, none)" in error["message"] for error in profile["errors"])
    assert not any(usage["executed"] or "executedUnknown" in usage
                   for cold_start in profile["coldStarts"] for usage in cold_start["moduleUsage"].values())
