"""Every import form records the statement that triggered it, its parent and its phase."""

import dis
import importlib
import os
import sys

from coldspy.agent import _NAME, _TRIGGER, Agent
from conftest import FAR_PADDING, line_number, module, profile_app, trigger_of, write_app

APP = {
    "handler.py": """
        import json_like
        import aliased_mod as am
        from pkg import sub
        from pkg.deep import leaf_function
        import pkg.rel
        import importlib

        try:
            import no_such_module_anywhere
        except ImportError:
            import fallback_mod

        dynamic = importlib.import_module("dynamic_mod")


        def handler(event, context):
            import runtime_mod
            return runtime_mod.VALUE + am.VALUE
        """,
    "json_like.py": "import nested_mod\nVALUE = 1\n",
    "nested_mod.py": "VALUE = 2\n",
    "aliased_mod.py": "VALUE = 3\n",
    "pkg/__init__.py": "",
    # Relative imports inside a package: the trigger is the line of pkg/rel.py, both forms.
    "pkg/rel.py": """
        from . import sibling
        from .inner import leaf
        """,
    "pkg/sibling.py": "VALUE = 9\n",
    "pkg/inner/__init__.py": "",
    "pkg/inner/leaf.py": "VALUE = 10\n",
    "pkg/sub.py": "VALUE = 4\n",
    "pkg/deep.py": "def leaf_function():\n    return 5\n",
    "fallback_mod.py": "VALUE = 6\n",
    "dynamic_mod.py": "VALUE = 7\n",
    "runtime_mod.py": "VALUE = 8\n",
    "events/one.json": {"kind": "one"},
}


def test_each_import_form_has_the_triggering_line(tmp_path, python):
    root = write_app(tmp_path, APP)
    handler = os.path.join(root, "handler.py")
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "2"])

    for cold_start in profile["coldStarts"]:
        assert trigger_of(profile, cold_start, "json_like") == (handler, line_number(handler, "import json_like"))
        assert trigger_of(profile, cold_start, "aliased_mod") == (handler, line_number(handler, "import aliased_mod as am"))
        # `from pkg import sub` imports the package first, then the submodule: both from the same statement.
        assert trigger_of(profile, cold_start, "pkg") == (handler, line_number(handler, "from pkg import sub"))
        assert trigger_of(profile, cold_start, "pkg.sub") == (handler, line_number(handler, "from pkg import sub"))
        assert trigger_of(profile, cold_start, "pkg.deep") == (handler, line_number(handler, "from pkg.deep import"))
        assert trigger_of(profile, cold_start, "fallback_mod") == (handler, line_number(handler, "import fallback_mod"))
        # importlib.import_module: the line calling it, not importlib's frames.
        assert trigger_of(profile, cold_start, "dynamic_mod") == (handler, line_number(handler, "import_module("))
        # A nested import is triggered by the importing module's own line, and has it as parent.
        nested = os.path.join(root, "json_like.py")
        assert trigger_of(profile, cold_start, "nested_mod") == (nested, 1)
        assert module(cold_start, "nested_mod")["parent"] == "json_like"
        assert module(cold_start, "json_like")["parent"] == "handler"
        # The handler module itself is imported by the agent: no statement of the app triggered it.
        assert module(cold_start, "handler")["trigger"] is None
        assert module(cold_start, "handler")["parent"] is None
        # Relative imports: `from . import x` and `from .pkg import y`, triggered in the package's module.
        relative = os.path.join(root, "pkg", "rel.py")
        assert trigger_of(profile, cold_start, "pkg.sibling") == (relative, 1)
        assert module(cold_start, "pkg.sibling")["parent"] == "pkg.rel"
        assert trigger_of(profile, cold_start, "pkg.inner") == (relative, 2)
        assert trigger_of(profile, cold_start, "pkg.inner.leaf") == (relative, 2)
        assert module(cold_start, "pkg.inner.leaf")["parent"] == "pkg.rel"
        # A failed import is no module.
        assert "no_such_module_anywhere" not in [m["name"] for m in cold_start["modules"]]


def test_import_inside_the_handler_is_execution_phase(tmp_path, python):
    root = write_app(tmp_path, APP)
    handler = os.path.join(root, "handler.py")
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--invocations", "2"])
    cold_start = profile["coldStarts"][0]

    runtime = module(cold_start, "runtime_mod")
    assert runtime["phase"] == "execution"
    assert trigger_of(profile, cold_start, "runtime_mod") == (handler, line_number(handler, "import runtime_mod"))
    assert runtime["parent"] is None  # imported by the handler call, not inside another import
    assert [m["name"] for m in cold_start["modules"]].count("runtime_mod") == 1  # the warm call finds it loaded
    assert module(cold_start, "json_like")["phase"] == "init"
    assert all(m["phase"] == "init" for m in cold_start["modules"] if m["name"] != "runtime_mod")


def test_module_records_origin_times_and_memory(tmp_path):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, extra=["--cold-starts", "1"])
    cold_start = profile["coldStarts"][0]
    files = profile["files"]

    json_like = module(cold_start, "json_like")
    assert files[json_like["file"]] == os.path.join(root, "json_like.py")
    assert files[module(cold_start, "pkg")["file"]] == os.path.join(root, "pkg", "__init__.py")
    nested = module(cold_start, "nested_mod")
    assert json_like["cumulativeUs"] >= nested["cumulativeUs"]
    assert json_like["selfUs"] <= json_like["cumulativeUs"] - nested["cumulativeUs"] + 1
    assert profile["settings"]["memoryMethod"] == "rss"
    # Memory is read around imports at a 1 ms resolution: a shorter import has no reading of its own.
    for m in cold_start["modules"]:
        if m["cumulativeUs"] < 1000:
            assert m["rssDeltaBytes"] is None, m
        elif m["cumulativeUs"] >= 1100:
            assert isinstance(m["rssDeltaBytes"], int), m
    handler = module(cold_start, "handler")
    assert handler["cumulativeUs"] <= cold_start["initUs"]
    # Import order: a parent comes before its children.
    names = [m["name"] for m in cold_start["modules"]]
    assert names.index("json_like") < names.index("nested_mod")
    assert names[0] == "handler"


def test_memory_growth_of_an_import_and_of_the_imports_around_it(tmp_path):
    root = write_app(tmp_path, {
        "handler.py": """
            import tiny_mod
            import holds_memory


            def handler(event, context):
                return len(holds_memory.BLOCK)
            """,
        "tiny_mod.py": "VALUE = 1\n",
        # Writes 24 MB (resident: every page touched), a few milliseconds of import.
        "holds_memory.py": "BLOCK = b'x' * (24 * 1024 * 1024)\n",
        "events/one.json": {},
    })
    profile = profile_app(root, extra=["--cold-starts", "1"])
    cold_start = profile["coldStarts"][0]

    held = module(cold_start, "holds_memory")
    assert held["cumulativeUs"] >= 1000
    assert held["rssDeltaBytes"] >= 20 * 1024 * 1024
    assert module(cold_start, "handler")["rssDeltaBytes"] >= 20 * 1024 * 1024  # its imports count in it
    tiny = module(cold_start, "tiny_mod")
    assert tiny["cumulativeUs"] >= 1000 or tiny["rssDeltaBytes"] is None


def _app_on_path(tmp_path, monkeypatch, files):
    write_app(tmp_path, files)
    monkeypatch.syspath_prepend(str(tmp_path))


def _import_under_agent(module_name, holds_at_end_of_init):
    """{name: module record} of an init that imports `module_name` under an agent without sampling, once
    `holds_at_end_of_init(agent)`, asked as init has ended, has said yes."""
    agent = Agent(interval_us=0)
    agent.start()
    importlib.import_module(module_name)
    agent.end_init()
    assert holds_at_end_of_init(agent)
    agent.finish()
    return {m["name"]: m for m in agent.snapshot()["modules"]}


def _where(modules, leaf, inner):
    """(the trigger of the module-level import `leaf`, the trigger and the statement of `inner`, imported by a
    function that module-level code calls)."""
    return modules[leaf]["trigger"], modules[inner]["trigger"], modules[inner]["statement"]


def test_a_module_body_that_has_run_is_not_kept_alive_by_the_imports_it_made(tmp_path, monkeypatch):
    # A module's body code (its bytecode, line table and name tuples) is freed once the module has run. The
    # agent records the line of each import from the frame as the import starts, so it keeps none alive: held
    # until the first write, every importing module's body would add to init's memory, its tuples tracked by
    # the collector, each 700 of them one more young collection.
    _app_on_path(tmp_path, monkeypatch, {
        "importer_body_mod.py": """
            import sys
            import weakref

            BODY = weakref.ref(sys._getframe().f_code)


            def load():
                import importer_inner_mod


            import importer_leaf_mod
            load()
            """,
        "importer_leaf_mod.py": "VALUE = 1\n",
        "importer_inner_mod.py": "VALUE = 2\n",
    })
    modules = _import_under_agent("importer_body_mod",
                                  lambda agent: sys.modules["importer_body_mod"].BODY() is None)
    path = str(tmp_path / "importer_body_mod.py")
    assert _where(modules, "importer_leaf_mod", "importer_inner_mod") == (
        [path, 11], [path, 8], (path, 12, [(path, 8, "load")], 0))


def test_an_import_far_into_a_module_body_gets_its_line_after_the_response(tmp_path, monkeypatch):
    # Reading a frame's line scans its code's line table from the start: an import more than
    # _LINE_READ_AT_ONCE_BYTES into its code keeps (code, f_lasti) and gets its line as snapshot() reads it.
    _app_on_path(tmp_path, monkeypatch, {
        "far_body_mod.py": FAR_PADDING + "import far_leaf_mod\n\n\ndef load():\n    import far_inner_mod\n\n\nload()\n",
        "far_leaf_mod.py": "VALUE = 1\n",
        "far_inner_mod.py": "VALUE = 2\n",
    })

    def kept_as_code(agent):  # through init
        return any(r[_NAME] == "far_leaf_mod" and type(r[_TRIGGER][0]) is not str for r in agent._imports)

    modules = _import_under_agent("far_body_mod", kept_as_code)
    path = str(tmp_path / "far_body_mod.py")
    assert _where(modules, "far_leaf_mod", "far_inner_mod") == (
        [path, 401], [path, 405], (path, 408, [(path, 405, "load")], 0))


def _after_an_import_far_into_its_module(tmp_path, monkeypatch, prefix):
    """(an agent whose init imported PREFIX_mod, which imports PREFIX_leaf at line 401, the leaf's record)."""
    _app_on_path(tmp_path, monkeypatch, {prefix + "_mod.py": FAR_PADDING + "import %s_leaf\n" % prefix,
                                         prefix + "_leaf.py": "VALUE = 1\n"})
    agent = Agent(interval_us=0)
    agent.start()
    importlib.import_module(prefix + "_mod")
    agent.end_init()
    return agent, next(r for r in agent._imports if r[_NAME] == prefix + "_leaf")


def test_an_import_still_running_in_another_thread_gets_its_line_at_a_later_write(tmp_path, monkeypatch):
    # A thread's import is recorded before its trigger is read; a write in another thread meanwhile (the Lambda
    # extension's, after a response) must look at that record again next time, not skip it for good.
    from coldspy import agent as agent_module

    agent, leaf = _after_an_import_far_into_its_module(tmp_path, monkeypatch, "late_thread")
    recorded = list(leaf)
    leaf[_TRIGGER], leaf[agent_module._CUMULATIVE_NS] = None, 0  # as it is before the thread reads its trigger
    agent.snapshot()  # the first write
    leaf[_TRIGGER], leaf[agent_module._CUMULATIVE_NS] = recorded[_TRIGGER], recorded[agent_module._CUMULATIVE_NS]
    assert type(leaf[_TRIGGER][0]) is not str  # far into its module: kept as (code, f_lasti)
    agent.finish()
    modules = {m["name"]: m for m in agent.snapshot()["modules"]}  # a later write
    assert modules["late_thread_leaf"]["trigger"] == [str(tmp_path / "late_thread_mod.py"), 401]


def test_a_trigger_set_by_another_thread_after_settle_reaches_the_record_as_a_line(tmp_path, monkeypatch):
    # snapshot() settles, then reads the records: a thread's import can set a trigger kept as (code, f_lasti) in
    # between, which must not reach the profile as a code object (its JSON would not encode: the write lost).
    from coldspy import agent as agent_module

    path = str(tmp_path / "late_set_mod.py")
    agent, leaf = _after_an_import_far_into_its_module(tmp_path, monkeypatch, "late_set")
    agent.finish()
    code = compile(FAR_PADDING + "import late_set_leaf\n", path, "exec")
    offset = next(start for start, line in dis.findlinestarts(code) if line == 401)
    real_names = agent_module.module_names_by_file

    def names_while_a_thread_sets_a_trigger():
        leaf[_TRIGGER] = (code, offset)
        return real_names()

    monkeypatch.setattr(agent_module, "module_names_by_file", names_while_a_thread_sets_a_trigger)
    modules = {m["name"]: m for m in agent.snapshot()["modules"]}
    assert modules["late_set_leaf"]["trigger"] == [path, 401]
