"""Per module: did its code come from a valid cached .pyc or was it compiled (how long, and why no cache)."""

import json
import os
import shutil
import subprocess
import textwrap

from conftest import agent_env, module, profile_app, run_cli, write_app

# A module big enough that compiling it takes measurable time (a few ms), and small modules for each cache state.
BIG_SOURCE = "".join("def function_%d(x):\n    return [x * %d for _ in range(3)]\n\n" % (i, i) for i in range(1500))

APP = {
    "handler.py": """
        import fresh_mod
        import cached_mod
        import stale_mod
        import other_version_mod
        import sourceless_mod
        import big_mod
        import pkg_mod.inner


        def handler(event, context):
            return 1
        """,
    "fresh_mod.py": "VALUE = 1\n",
    "cached_mod.py": "VALUE = 2\n",
    "stale_mod.py": "VALUE = 3\n",
    "other_version_mod.py": "VALUE = 4\n",
    "sourceless_src/sourceless_mod.py": "VALUE = 5\n",
    "big_mod.py": BIG_SOURCE,
    "pkg_mod/__init__.py": "",
    "pkg_mod/inner.py": "VALUE = 6\n",
    "events/a.json": {},
}


def tag_of(python):
    return subprocess.check_output([python, "-c", "import sys; print(sys.implementation.cache_tag)"], text=True).strip()


def compile_with(python, *paths, legacy=False):
    """Writes each source's .pyc with `python` (timestamp-based, as pip does): into __pycache__, or next to
    the source with `legacy` (the layout a sourceless deployment uses)."""
    code = "import py_compile, sys, importlib.util\nfor p in sys.argv[2:]:\n" \
           "    py_compile.compile(p, cfile=(p + 'c') if sys.argv[1] == 'legacy' else None, doraise=True)\n"
    subprocess.check_call([python, "-c", code, "legacy" if legacy else "cache"] + list(paths))


def prepare(root, python):
    own_tag = tag_of(python)
    compile_with(python, os.path.join(root, "cached_mod.py"), os.path.join(root, "stale_mod.py"),
                 os.path.join(root, "other_version_mod.py"), os.path.join(root, "pkg_mod", "inner.py"))
    # Stale: the source changed after its .pyc was written (another size: the recorded one no longer fits).
    with open(os.path.join(root, "stale_mod.py"), "a") as out:
        out.write("CHANGED = True\n")
    # Another version's cache only: the file name carries another interpreter's tag.
    pycache = os.path.join(root, "__pycache__")
    os.rename(os.path.join(pycache, "other_version_mod.%s.pyc" % own_tag),
              os.path.join(pycache, "other_version_mod.cpython-27.pyc"))
    # Sourceless: only the .pyc, where the sourceless loader looks for it (next to where the source was).
    compile_with(python, os.path.join(root, "sourceless_src", "sourceless_mod.py"), legacy=True)
    shutil.move(os.path.join(root, "sourceless_src", "sourceless_mod.pyc"), os.path.join(root, "sourceless_mod.pyc"))
    shutil.rmtree(os.path.join(root, "sourceless_src"))
    return own_tag


def test_each_cache_state_is_recorded(tmp_path, python):
    root = write_app(tmp_path, APP)
    own_tag = prepare(root, python)
    env = agent_env()
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # as a read-only deployment: no cold start leaves a cache behind
    profile = profile_app(root, python=python, env=env, extra=["--cold-starts", "2", "--invocations", "1"])

    assert profile["environment"]["cacheTag"] == own_tag
    assert profile["environment"]["dontWriteBytecode"] is True
    for cold_start in profile["coldStarts"]:
        def bytecode(name):
            return module(cold_start, name)["bytecode"]

        for name in ("fresh_mod", "handler", "pkg_mod"):
            assert bytecode(name)["from"] == "source" and bytecode(name)["cause"] == "none", name
        assert bytecode("stale_mod")["cause"] == "stale"
        assert bytecode("other_version_mod")["cause"] == "other-version"
        assert bytecode("cached_mod") == {"from": "cache"}
        assert bytecode("pkg_mod.inner") == {"from": "cache"}
        assert bytecode("sourceless_mod") == {"from": "sourceless"}
        assert profile["files"][module(cold_start, "sourceless_mod")["file"]].endswith("sourceless_mod.pyc")
        assert all(bytecode(name)["cacheWritten"] is False
                   for name in ("fresh_mod", "handler", "pkg_mod", "stale_mod", "other_version_mod", "big_mod"))
        big = module(cold_start, "big_mod")
        # The compile is part of the module's own import time, and most of it for this module.
        assert 500 <= big["bytecode"]["compileUs"] <= big["selfUs"]


def test_a_written_cache_is_read_by_the_next_cold_start(tmp_path, python):
    root = write_app(tmp_path, APP)
    prepare(root, python)
    env = agent_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    profile = profile_app(root, python=python, env=env, extra=["--cold-starts", "2", "--invocations", "1"])

    first, second = profile["coldStarts"]
    assert profile["environment"]["dontWriteBytecode"] is False
    for name in ("fresh_mod", "stale_mod", "big_mod"):
        assert module(first, name)["bytecode"]["from"] == "source"
        assert module(first, name)["bytecode"]["cacheWritten"] is True, name
        assert module(second, name)["bytecode"] == {"from": "cache"}, name


def test_builtin_and_extension_modules_have_no_bytecode_entry(tmp_path, python):
    root = write_app(tmp_path, {
        "handler.py": "import natives_user\n\n\ndef handler(event, context):\n    return 1\n",
        # array and cmath are extension or built-in modules on every CPython build; neither is loaded at
        # interpreter start-up.
        "natives_user.py": "import array\nimport cmath\n",
        "events/a.json": {},
    })
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--invocations", "1"])
    cold_start = profile["coldStarts"][0]
    assert "bytecode" not in module(cold_start, "array")
    assert "bytecode" not in module(cold_start, "cmath")
    assert module(cold_start, "natives_user")["bytecode"]["from"] == "source"


def test_the_summary_counts_modules_compiled_from_source(tmp_path, python):
    root = write_app(tmp_path, {"handler.py": "import fresh_mod\n\n\ndef handler(event, context):\n    return 1\n",
                                "fresh_mod.py": "VALUE = 1\n", "events/a.json": {}})
    env = agent_env()
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "--cold-starts", "2", "--invocations", "1", "--python", python,
                         "-o", str(tmp_path / "p.json")], env=env)
    assert completed.returncode == 0, completed.stderr
    assert "compiled from source (no valid .pyc for %s): 2 modules in " % tag_of(python) in completed.stdout
    assert "ms in cold start 0, 2 in the last (the interpreter wrote no caches)" in completed.stdout


def test_a_loader_with_its_own_compile_gets_no_bytecode_entry(tmp_path, python):
    # A finder whose loader compiles the source its own way (as a source-transforming import hook does): that
    # compile is not the standard one the agent watches, so it says nothing about where the code came from.
    root = write_app(tmp_path, {
        "handler.py": """
            import sys
            import importlib.machinery

            class OwnCompile(importlib.machinery.SourceFileLoader):
                def source_to_code(self, data, path, *, _optimize=-1):
                    return compile(data, path, "exec", dont_inherit=True)

            class OwnFinder:
                @staticmethod
                def find_spec(name, path=None, target=None):
                    if name == "transformed_mod":
                        return importlib.util.spec_from_file_location(
                            name, __file__.replace("handler.py", "transformed_mod.py"),
                            loader=OwnCompile(name, __file__.replace("handler.py", "transformed_mod.py")))
                    return None

            import importlib.util
            sys.meta_path.insert(0, OwnFinder)
            import transformed_mod
            import cached_mod


            def handler(event, context):
                return transformed_mod.VALUE + cached_mod.VALUE
            """,
        "transformed_mod.py": "VALUE = 1\n",
        "cached_mod.py": "VALUE = 2\n",
        "events/a.json": {},
    })
    compile_with(python, os.path.join(root, "transformed_mod.py"), os.path.join(root, "cached_mod.py"))
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--invocations", "1"])
    cold_start = profile["coldStarts"][0]
    assert "bytecode" not in module(cold_start, "transformed_mod")
    assert module(cold_start, "cached_mod")["bytecode"] == {"from": "cache"}


def test_bytecode_is_not_claimed_once_someone_else_patched_the_compile(tmp_path, python):
    # The app replaces SourceLoader.source_to_code during init: compiles after that may go unseen, so a module
    # that was not seen compiling may still have been compiled, and no module gets a "cache" entry. (This
    # patch calls through to the watch, so the compile it passes on is still seen.)
    root = write_app(tmp_path, {
        "handler.py": """
            import cached_mod
            import patcher
            import fresh_mod


            def handler(event, context):
                return cached_mod.VALUE + fresh_mod.VALUE
            """,
        "patcher.py": """
            import importlib._bootstrap_external as external

            _original = external.SourceLoader.source_to_code

            def source_to_code(self, data, path, *args, **kwargs):
                return _original(self, data, path, *args, **kwargs)

            external.SourceLoader.source_to_code = source_to_code
            """,
        "cached_mod.py": "VALUE = 1\n",
        "fresh_mod.py": "VALUE = 2\n",
        "events/a.json": {},
    })
    compile_with(python, os.path.join(root, "cached_mod.py"))
    env = agent_env()
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    profile = profile_app(root, python=python, env=env, extra=["--cold-starts", "1", "--invocations", "1"])
    cold_start = profile["coldStarts"][0]
    assert "bytecode" not in module(cold_start, "cached_mod")
    assert module(cold_start, "fresh_mod")["bytecode"]["from"] == "source"
    assert any("someone replaced SourceLoader.source_to_code" in error["message"] for error in profile["errors"])


AGENT_SCRIPT = """
import json, sys, threading, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from coldspy.agent import Agent

agent = Agent(interval_us=0)
agent.start()
%s
modules = agent.snapshot()["modules"]
agent.finish()
print(json.dumps({"modules": [[m["name"], m.get("bytecode")] for m in modules], "after": %s}))
"""


def agent_script(python, root, body, after="None"):
    """Runs `body` (which ends init) in a fresh interpreter under an agent started in-process, then snapshot().
    -> ([(module name, bytecode entry or None)] in record order, the value of the expression `after` then)."""
    env = agent_env()
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    script = os.path.join(root, "script.py")
    with open(script, "w") as out:
        out.write(AGENT_SCRIPT % (textwrap.dedent(body), after))
    output = subprocess.check_output([python, script, os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                      root], env=env, text=True)
    result = json.loads(output)
    return [tuple(entry) for entry in result["modules"]], result["after"]


def test_an_import_that_found_its_module_loaded_by_a_nested_one_gets_no_entry(tmp_path, python):
    # `import pkg.sub` imports pkg, whose body imports .sub: the outer pkg.sub import then finds it loaded.
    root = write_app(tmp_path, {"pkg/__init__.py": "from . import sub\n", "pkg/sub.py": "VALUE = 1\n",
                                "cached/__init__.py": "from . import sub\n", "cached/sub.py": "VALUE = 2\n"})
    compile_with(python, os.path.join(root, "cached", "__init__.py"), os.path.join(root, "cached", "sub.py"))
    modules, _ = agent_script(python, root, """
        import pkg.sub
        import cached.sub
        agent.end_init()
        """)
    outer, inner = [entry for name, entry in modules if name == "pkg.sub"]
    assert outer is None and inner["from"] == "source"
    assert [entry for name, entry in modules if name == "cached.sub"] == [None, {"from": "cache"}]


def test_a_compile_on_a_thread_after_init_ended_lands_on_its_import(tmp_path, python):
    root = write_app(tmp_path, {"slow_mod.py": "VALUE = 1\n"})
    modules, _ = agent_script(python, root, """
        from importlib.machinery import PathFinder

        class SlowFinder:
            @staticmethod
            def find_spec(name, path=None, target=None):
                if name == "slow_mod":
                    time.sleep(0.3)  # init ends meanwhile
                    return PathFinder.find_spec(name, path)

        sys.meta_path.insert(0, SlowFinder)
        thread = threading.Thread(target=__import__, args=("slow_mod",))
        thread.start()
        time.sleep(0.05)
        agent.end_init()
        thread.join()
        """)
    assert dict(modules)["slow_mod"]["from"] == "source"


def test_a_lazily_loaded_module_gets_no_entry_and_stays_lazy(tmp_path, python):
    root = write_app(tmp_path, {"lazy_mod.py": "VALUE = 1\n"})
    compile_with(python, os.path.join(root, "lazy_mod.py"))
    modules, still_lazy = agent_script(python, root, """
        import importlib.util
        from importlib.machinery import PathFinder

        class LazyFinder:
            @staticmethod
            def find_spec(name, path=None, target=None):
                if name == "lazy_mod":
                    spec = PathFinder.find_spec(name, path)
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                    return spec

        sys.meta_path.insert(0, LazyFinder)
        import lazy_mod
        agent.end_init()
        """, after="type(sys.modules['lazy_mod']).__name__")
    assert dict(modules)["lazy_mod"] is None
    assert still_lazy == "_LazyModule"  # snapshot() did not run its body
