"""Garbage collections are timed; full ones are charged to the import they ran inside, so that a reader can
share them out.

A full collection runs where the surviving objects have grown by a quarter, and lands in whichever import is
running then. The app below makes that place known: `heap` keeps ~300,000 tracked objects alive (a full
collection walks them all, several milliseconds), and `collector` collects explicitly while it is the
innermost import. Automatic collection is off in the app so that no other collection lands anywhere.
"""

import gc
import sys

from conftest import module, profile_app, write_app
import coldspy.agent
from coldspy.agent import Agent

APP = {
    "handler.py": """
        import gc
        gc.disable()

        import heap
        import outer
        import quiet
        import young


        def handler(event, context):
            import late
            return len(heap.KEEP) + late.DONE
        """,
    "heap.py": """
        KEEP = [[i] for i in range(300000)]
        """,
    "outer.py": """
        import collector
        """,
    "collector.py": """
        import gc

        import quiet_child

        gc.collect()
        """,
    "quiet_child.py": """
        VALUE = 1
        """,
    "quiet.py": """
        VALUE = 2
        """,
    "young.py": """
        import gc

        for _ in range(50):
            gc.collect(0)
        """,
    "late.py": """
        import gc

        gc.collect()
        DONE = 1
        """,
    "events/a.json": {},
}


def test_a_full_collection_is_charged_to_the_import_it_ran_inside(tmp_path, python):
    profile = profile_app(write_app(tmp_path, APP), python=python, extra=["--cold-starts", "2"])
    for cold_start in profile["coldStarts"]:
        collector = module(cold_start, "collector")
        assert collector["fullGcUs"] >= 1000, collector  # a full walk over 300,000 objects
        assert collector["fullGcUs"] <= collector["selfUs"]
        assert collector["fullGcCumulativeUs"] == collector["fullGcUs"]  # none in quiet_child
        outer = module(cold_start, "outer")
        assert "fullGcUs" not in outer and outer["fullGcCumulativeUs"] == collector["fullGcUs"]
        for quiet in ("heap", "quiet", "quiet_child", "young"):
            assert "fullGcUs" not in module(cold_start, quiet), quiet
        assert "fullGcCumulativeUs" not in module(cold_start, "young")  # young collections stay in its own time
        late = module(cold_start, "late")
        assert late["phase"] == "execution" and late["fullGcUs"] >= 1000
        totals = cold_start["gcUs"]
        assert totals["init"] >= collector["fullGcUs"]
        assert totals["execution"] >= late["fullGcUs"]


def test_a_collection_set_off_by_the_hooks_bookkeeping_is_the_imports_own(tmp_path, monkeypatch):
    """The hook's work for an import (finding the importing statement, reading memory) is timed as that import's:
    a collection it sets off must be charged there too, not to the import around it."""
    write_app(tmp_path, {"parentmod.py": "import childmod\n", "childmod.py": "VALUE = 1\n"})
    monkeypatch.syspath_prepend(str(tmp_path))
    keep = [[i] for i in range(300000)]
    real_file_kind = coldspy.agent._file_kind

    def file_kind(filename):  # asked once per file, while childmod's import finds its importing statement
        if filename.endswith("parentmod.py"):
            gc.collect()
        return real_file_kind(filename)

    monkeypatch.setattr(coldspy.agent, "_file_kind", file_kind)
    collecting = gc.isenabled()
    gc.disable()
    agent = Agent(interval_us=0, usage_signal="none")
    try:
        agent.start()
        import parentmod  # noqa: F401
        agent.end_init()
        modules = {m["name"]: m for m in agent.snapshot()["modules"]}
    finally:
        agent.finish()
        sys.modules.pop("parentmod", None)
        sys.modules.pop("childmod", None)
        if collecting:
            gc.enable()
    assert len(keep) == 300000
    assert modules["childmod"]["fullGcUs"] >= 1000, modules
    assert "fullGcUs" not in modules["parentmod"], modules
    assert modules["parentmod"]["fullGcCumulativeUs"] == modules["childmod"]["fullGcUs"]


def test_a_stop_whose_start_the_agent_missed_is_not_counted():
    """A callback listed before the agent's that removes itself shifts CPython's list under its loop: the agent's
    callback then sees that collection's "stop" without its "start"."""
    def once(event, info):
        gc.callbacks.remove(once)

    collecting = gc.isenabled()
    gc.disable()  # no collection may use up `once` before the agent's callback is there
    gc.callbacks.insert(0, once)
    agent = Agent(interval_us=0, usage_signal="none")
    try:
        agent.start()
        gc.collect(0)
        agent.end_init()
        snapshot = agent.snapshot()
    finally:
        agent.finish()
        if once in gc.callbacks:
            gc.callbacks.remove(once)
        if collecting:
            gc.enable()
    assert 0 <= snapshot["gcUs"]["init"] <= snapshot["initUs"]


def test_the_watch_leaves_gc_callbacks_as_they_were():
    before = list(gc.callbacks)
    agent = Agent(interval_us=0, usage_signal="none")
    agent.start()
    assert len(gc.callbacks) == len(before) + 1
    agent.end_init()
    agent.finish()
    assert gc.callbacks == before
    assert "gcUs" in agent.snapshot()
