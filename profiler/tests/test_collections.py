"""Garbage collections are timed and charged to the import they ran inside, so that a reader can share them out.

A collection runs where allocations cross a threshold: a full one lands in whichever import is running then. The
app below makes that place known: `heap` keeps ~300,000 tracked objects alive (a full collection walks them all,
several milliseconds), and `collector` collects explicitly while it is the innermost import. Automatic
collection is off in the app so that no other collection lands anywhere.
"""

import gc

from conftest import module, profile_app, write_app
from coldspy.agent import Agent

APP = {
    "handler.py": """
        import gc
        gc.disable()

        import heap
        import collector
        import quiet


        def handler(event, context):
            import late
            return len(heap.KEEP) + late.DONE
        """,
    "heap.py": """
        KEEP = [[i] for i in range(300000)]
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
    "late.py": """
        import gc

        gc.collect()
        DONE = 1
        """,
    "events/a.json": {},
}


def test_a_collection_is_charged_to_the_import_it_ran_inside(tmp_path, python):
    profile = profile_app(write_app(tmp_path, APP), python=python, extra=["--cold-starts", "2"])
    for cold_start in profile["coldStarts"]:
        collector = module(cold_start, "collector")
        assert collector["gcUs"] >= 1000, collector  # a full walk over 300,000 objects
        assert collector["gcUs"] <= collector["selfUs"]
        for quiet in ("heap", "quiet", "quiet_child"):
            assert "gcUs" not in module(cold_start, quiet), quiet
        late = module(cold_start, "late")
        assert late["phase"] == "execution" and late["gcUs"] >= 1000
        totals = cold_start["gcUs"]
        assert totals["init"] >= collector["gcUs"]
        assert totals["execution"] >= late["gcUs"]


def test_the_watch_leaves_gc_callbacks_as_they_were():
    before = list(gc.callbacks)
    agent = Agent(interval_us=0, usage_signal="none")
    agent.start()
    assert len(gc.callbacks) == len(before) + 1
    agent.end_init()
    agent.finish()
    assert gc.callbacks == before
    assert "gcUs" in agent.snapshot()


def test_a_collection_outside_the_timed_phases_is_not_counted():
    agent = Agent(interval_us=0, usage_signal="none")
    agent.start()
    agent.end_init()
    init = agent.snapshot()["gcUs"]["init"]
    gc.collect()
    snapshot = agent.snapshot()
    agent.finish()
    assert snapshot["gcUs"] == {"init": init, "execution": 0}
