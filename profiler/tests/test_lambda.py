"""Inside Lambda: `import coldspy.auto` and the exec wrapper, under a stand-in for the Python runtime."""

import glob
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import FAKE_BOOTSTRAP, PROFILER_DIR, WRAPPER, line_number, module, trigger_of, validate, write_app

HANDLER_BODY = textwrap.dedent("""
    import colorsys
    from email import utils


    class Rejected(Exception):
        pass


    def handler(event, context):
        if event.get("reject"):
            raise Rejected("no")
        import csv
        return {"n": event["n"], "csv": csv.QUOTE_ALL, "memory": context.memory_limit_in_mb}
    """)
EVENTS = {"events/1.json": {"n": 1}, "events/2.json": {"reject": True}, "events/3.json": {"n": 3}}


def lambda_env(root, output_dir, **extra):
    env = dict(os.environ, _HANDLER="handler.handler", LAMBDA_TASK_ROOT=root, AWS_LAMBDA_FUNCTION_NAME="orders-api",
               AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512", COLDSPY_OUTPUT_DIR=output_dir)
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def run_runtime(command, root, env):
    report = os.path.join(root, "report.json")
    events = [os.path.join(root, "events", name) for name in ("1.json", "2.json", "3.json")]
    completed = subprocess.run(command + [FAKE_BOOTSTRAP, report] + events, env=env, cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    with open(report) as source:
        return completed, json.load(source)


def only_profile(output_dir):
    profiles = glob.glob(os.path.join(output_dir, "coldspy-orders-api-*.json"))
    assert len(profiles) == 1, os.listdir(output_dir)
    assert not [name for name in os.listdir(output_dir) if name.endswith(".tmp")]
    with open(profiles[0]) as source:
        return validate(json.load(source))


def check_lambda_profile(profile, root):
    handler_py = os.path.join(root, "handler.py")
    assert profile["environment"]["lambda"] is True
    assert profile["environment"]["memoryLimitMb"] == 512
    assert profile["app"] == {"handler": "handler.handler", "root": root, "name": "orders-api"}
    assert profile["settings"]["coldStarts"] == 1
    (cold_start,) = profile["coldStarts"]
    assert [(inv["outcome"], inv["exceptionType"]) for inv in cold_start["invocations"]] == [
        ("return", None), ("exception", "handler.Rejected"), ("return", None)]
    assert trigger_of(profile, cold_start, "colorsys") == (handler_py, line_number(handler_py, "import colorsys"))
    assert module(cold_start, "colorsys")["phase"] == "init"
    assert module(cold_start, "colorsys")["parent"] == "handler"
    assert module(cold_start, "csv")["phase"] == "execution"
    assert trigger_of(profile, cold_start, "csv") == (handler_py, line_number(handler_py, "import csv"))
    assert cold_start["initUs"] > 0
    assert module(cold_start, "handler")["cumulativeUs"] <= cold_start["initUs"] + 1000
    assert profile["errors"] == []


def returned(report):
    """What each invocation returned, or the name of the exception it raised."""
    return [inv.get("returned", inv.get("raised")) for inv in report["invocations"]]


PASSED_THROUGH = [{"n": 1, "csv": 1, "memory": "512"}, "Rejected", {"n": 3, "csv": 1, "memory": "512"}]


def check_passthrough(report, written=(1, 1, 1)):
    assert report["init"] is None
    assert returned(report) == PASSED_THROUGH
    # Written after the cold invocation; the warm ones within COLDSPY_WRITE_INTERVAL_S (60 s) are not;
    # interpreter exit writes the rest.
    assert [inv["profiledInvocations"] for inv in report["invocations"]] == list(written)


def test_import_coldspy_auto_first_in_the_handler(tmp_path, python):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": "import coldspy.auto\n" + HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([python], root, lambda_env(root, output_dir, PYTHONPATH=PROFILER_DIR))
    assert completed.returncode == 0, completed.stderr
    check_passthrough(report)
    profile = only_profile(output_dir)
    check_lambda_profile(profile, root)
    # The handler module was being loaded before the agent started: how it got its code is unknown.
    assert "bytecode" not in module(profile["coldStarts"][0], "handler")


def test_exec_wrapper(tmp_path, python):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, python], root, lambda_env(root, output_dir))
    assert completed.returncode == 0, completed.stderr
    check_passthrough(report)
    profile = only_profile(output_dir)
    check_lambda_profile(profile, root)
    assert module(profile["coldStarts"][0], "handler")["trigger"] is None  # imported by the agent


@pytest.mark.parametrize("auto", [False, True], ids=["exec-wrapper", "auto"])
def test_with_the_extensions_api_the_writes_come_after_the_response(tmp_path, auto):
    handler = ("import coldspy.auto\n" if auto else "") + HANDLER_BODY
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": handler}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", COLDSPY_WRITE_INTERVAL_S="0",
                     **({"PYTHONPATH": PROFILER_DIR} if auto else {}))
    completed, report = run_runtime([sys.executable] if auto else [WRAPPER, sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert report["extensionRegistered"]
    check_passthrough(report, written=(1, 2, 2))  # after invocations 1 and 2, each before the freeze
    # When each response was there, the write of that invocation was not yet done.
    assert [inv["profiledAtResponse"] for inv in report["invocations"]] == [None, 1, 2]
    check_lambda_profile(only_profile(output_dir), root)  # at exit: all three


@pytest.mark.parametrize("auto", [False, True], ids=["exec-wrapper", "auto"])
def test_the_extension_asks_for_its_first_event_only_once_init_has_ended(tmp_path, auto):
    # A thread started during the handler module's import would take the interpreter's lock from it.
    handler = ("import coldspy.auto\n" if auto else "") + textwrap.dedent("""
        import sys
        import threading
        import time


        def running_in(frame, filename_end):
            while frame is not None:
                if frame.f_code.co_filename.endswith(filename_end):
                    return True
                frame = frame.f_back
            return False


        time.sleep(0.2)  # time enough for a thread started before this import to be running
        EXTENSION_THREAD_AT_INIT = any(running_in(frame, "coldspy/extension.py")
                                       for ident, frame in sys._current_frames().items()
                                       if ident != threading.get_ident())


        def handler(event, context):
            return EXTENSION_THREAD_AT_INIT
        """)
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": handler}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1",
                     **({"PYTHONPATH": PROFILER_DIR} if auto else {}))
    completed, report = run_runtime([sys.executable] if auto else [WRAPPER, sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert report["extensionRegistered"]
    assert returned(report) == [False, False, False]


def test_after_an_init_error_the_extension_still_asks_for_its_first_event(tmp_path):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": "raise KeyError('x')\n"}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1")
    completed, report = run_runtime([WRAPPER, sys.executable], root, env)
    assert report["init"] == "KeyError", completed.stderr
    assert report.get("extensionAsked"), completed.stderr


def test_exec_wrapper_passes_an_init_error_through(tmp_path):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": "import colorsys\nraise KeyError('x')\n"}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, sys.executable], root, lambda_env(root, output_dir))
    assert report["init"] == "KeyError"  # what the runtime sees is the function's own error
    profile = only_profile(output_dir)
    assert module(profile["coldStarts"][0], "colorsys")["phase"] == "init"
    assert any("init failed" in e["message"] and "KeyError" in e["message"] for e in profile["errors"])


def test_auto_does_nothing_outside_lambda(tmp_path):
    root = write_app(tmp_path, {"handler.py": "import coldspy.auto\n" + HANDLER_BODY})
    env = dict(os.environ, PYTHONPATH=PROFILER_DIR, COLDSPY_OUTPUT_DIR=str(tmp_path))
    for name in ("AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_RUNTIME_API"):
        env.pop(name, None)
    completed = subprocess.run([sys.executable, "-c", "import handler, signal, sys; from coldspy import lambda_runtime; "
                                "print(handler.colorsys.__name__, lambda_runtime.ACTIVE, "
                                "signal.getsignal(signal.SIGALRM) == signal.SIG_DFL, type(handler).__name__)"],
                               cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert completed.stdout == "colorsys [] True module\n", completed.stderr
    assert not glob.glob(os.path.join(str(tmp_path), "coldspy-*.json"))


@pytest.mark.parametrize("setting, value, message", [
    ("COLDSPY_CLOCK", "sundial", "COLDSPY_CLOCK='sundial' is not one of wall|cpu"),
    ("COLDSPY_INTERVAL_MS", "fast", "COLDSPY_INTERVAL_MS='fast' is not a number"),
])
def test_bad_settings_are_recorded_not_fatal(tmp_path, setting, value, message):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, sys.executable], root,
                                    lambda_env(root, output_dir, **{setting: value}))
    check_passthrough(report)
    profile = only_profile(output_dir)
    assert any(message in e["message"] for e in profile["errors"]), profile["errors"]


def test_writes_at_doubling_invocation_counts_when_the_interval_allows(tmp_path):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, sys.executable], root,
                                    lambda_env(root, output_dir, COLDSPY_WRITE_INTERVAL_S="0"))
    assert completed.returncode == 0, completed.stderr
    check_passthrough(report, written=(1, 2, 2))  # after invocations 1, 2, then 4
    assert len(only_profile(output_dir)["coldStarts"][0]["invocations"]) == 3  # at exit


def test_sigterm_writes_the_profile_then_ends_the_process(tmp_path, python):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, python], root,
                                    lambda_env(root, output_dir, FAKE_BOOTSTRAP_SIGTERM="1"))
    assert completed.returncode == -signal.SIGTERM, completed.stderr  # ended as SIGTERM's default action
    check_passthrough(report)
    # Interpreter exit handlers do not run on SIGTERM's default action: these came from the agent's handler.
    check_lambda_profile(only_profile(output_dir), root)


def test_an_applications_sigterm_handler_is_left_alone(tmp_path):
    handler = "import signal\nsignal.signal(signal.SIGTERM, lambda signum, frame: print('app handler'))\n"
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": "import coldspy.auto\n" + handler + HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([sys.executable], root, lambda_env(root, output_dir, PYTHONPATH=PROFILER_DIR,
                                                                        FAKE_BOOTSTRAP_SIGTERM="1"))
    assert completed.returncode == 0 and completed.stdout == "app handler\n", completed.stderr
    assert len(only_profile(output_dir)["coldStarts"][0]["invocations"]) == 3  # written at exit


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_a_bad_write_interval_is_recorded(tmp_path, value):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, sys.executable], root,
                                    lambda_env(root, output_dir, COLDSPY_WRITE_INTERVAL_S=value))
    check_passthrough(report)
    assert any("COLDSPY_WRITE_INTERVAL_S=%r is not a number of seconds" % value in e["message"]
               for e in only_profile(output_dir)["errors"])


def test_provisioned_concurrency_writes_at_the_end_of_init(tmp_path):
    """Init runs before any request there: the first write happens then, and the cold invocation pays none."""
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    completed, report = run_runtime([WRAPPER, sys.executable], root, lambda_env(
        root, output_dir, AWS_LAMBDA_INITIALIZATION_TYPE="provisioned-concurrency"))
    assert completed.returncode == 0, completed.stderr
    check_passthrough(report, written=(0, 0, 0))  # within 60 s of the init write: nothing more until exit
    check_lambda_profile(only_profile(output_dir), root)


@pytest.mark.parametrize("layout", ["in-a-module-it-imports", "looked-up-first-by-the-app"])
def test_auto_never_holds_the_freeze_when_the_handler_is_reached_another_way(tmp_path, layout):
    # The extension waits for every invocation to go through the agent before Lambda may freeze: the runtime
    # must get the profiled handler whatever the layout, or each invocation would hang until the timeout.
    if layout == "in-a-module-it-imports":
        files = {"handler.py": "import setup_profiling\n" + HANDLER_BODY,
                 "setup_profiling.py": "import coldspy.auto\n"}
    else:
        # A registry the handler module imports last looks the handler up before the runtime does.
        files = {"handler.py": "import coldspy.auto\n" + HANDLER_BODY + "\nimport registry\n",
                 "registry.py": "import handler\nREGISTERED = handler.handler\n"}
    root = write_app(tmp_path / "task", dict(EVENTS, **files))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", COLDSPY_WRITE_INTERVAL_S="0",
                     PYTHONPATH=PROFILER_DIR)
    completed, report = run_runtime([sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert report["extensionRegistered"]
    check_passthrough(report, written=(1, 2, 2))
    profile = only_profile(output_dir)
    assert module(profile["coldStarts"][0], "colorsys")["phase"] == "init"
    assert profile["errors"] == []


def test_auto_outside_the_handler_modules_import_does_not_profile(tmp_path):
    # Imported at run time, after the runtime looked the handler up: init is over, nothing to watch.
    assert "    import csv\n" in HANDLER_BODY
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY.replace(
        "    import csv\n", "    import csv\n    import coldspy.auto\n")}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", PYTHONPATH=PROFILER_DIR)
    completed, report = run_runtime([sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert not report["extensionRegistered"]
    assert returned(report) == PASSED_THROUGH
    assert "coldspy.auto: imported outside the import of the handler module handler; not profiling" \
        in completed.stderr
    assert os.listdir(output_dir) == []


@pytest.mark.parametrize("broken", ["agent.Agent.start", "lambda_runtime.LambdaSession.__init__"])
def test_exec_wrapper_runs_the_function_when_the_agent_cannot_start(tmp_path, broken):
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": HANDLER_BODY}))
    # Breaks the agent before the runtime starts (sitecustomize runs at interpreter start).
    module_name, _, attribute = broken.partition(".")
    broken_dir = write_app(tmp_path / "broken", {"sitecustomize.py": textwrap.dedent("""
        from coldspy import %s

        def broken(self, *args, **kwargs):
            raise RuntimeError("broken agent")

        %s = broken
        """ % (module_name, broken))})
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, PYTHONPATH=broken_dir,  # the wrapper adds the agent after it
                     FAKE_BOOTSTRAP_EXTENSIONS_API="1")
    completed, report = run_runtime([WRAPPER, sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr  # and no invocation waited for the timeout
    assert report["init"] is None
    assert returned(report) == PASSED_THROUGH
    if broken == "agent.Agent.start":
        # The session stands (its extension is registered and waits for each invocation), unprofiled.
        assert report["extensionRegistered"]
        assert any(e["message"] == "agent start: RuntimeError: broken agent" for e in only_profile(output_dir)["errors"])
    else:
        assert not report["extensionRegistered"]
        assert "coldspy: the agent did not start (RuntimeError: broken agent); the function runs without it" \
            in completed.stderr


SESSION_SCRIPT = """
from coldspy import lambda_runtime

session = lambda_runtime.LambdaSession("x.h")
session.start()
session.end_init()
"""


def run_session_script(tmp_path, body, **env):
    """Runs `body` after a Lambda session has started and ended init, in a fresh interpreter outside Lambda's
    Extensions API (profiles to tmp_path); its stdout."""
    script = tmp_path / "session_script.py"
    script.write_text(SESSION_SCRIPT + textwrap.dedent(body))
    env = dict(os.environ, PYTHONPATH=PROFILER_DIR, AWS_LAMBDA_FUNCTION_NAME="fn", COLDSPY_OUTPUT_DIR=str(tmp_path),
               **env)
    env.pop("AWS_LAMBDA_RUNTIME_API", None)
    return subprocess.check_output([sys.executable, str(script)], env=env, text=True, timeout=120)


@pytest.mark.parametrize("initialization_type", ["snap-start", "on-demand"])
def test_environments_restored_from_one_snapshot_write_profiles_of_their_own(tmp_path, initialization_type):
    # SnapStart runs init once and restores every environment from a snapshot made after it (a fork stands in
    # for a restore here): each must name its profile, and its S3 object, anew, or they overwrite each other.
    output = run_session_script(tmp_path, """
        import json, os, time

        named_at_init = session.path
        restored = []
        for _ in range(2):
            time.sleep(0.01)
            pid = os.fork()
            if pid == 0:
                session._pid = os.getpid()  # a restored environment is the same process; a fork's is another
                session.invoke(lambda event, context: "ok", {}, None)  # written after the call (no extension)
                print(json.dumps([session.path, session.started_at]), flush=True)
                os._exit(0)
            os.waitpid(pid, 0)
        print(json.dumps([named_at_init, session.started_at]))
        """, AWS_LAMBDA_INITIALIZATION_TYPE=initialization_type)
    (first, first_start), (second, second_start), (at_init, init_start) = [json.loads(line) for line in
                                                                            output.splitlines()]
    if initialization_type == "on-demand":
        assert first == second == at_init and first_start == second_start == init_start
        return
    assert len({first, second, at_init}) == 3
    assert init_start < first_start < second_start
    for path, started in ((first, first_start), (second, second_start)):
        with open(path) as source:
            profile = validate(json.load(source))
        assert profile["environment"]["initializationType"] == "snap-start"
        assert len(profile["coldStarts"][0]["invocations"]) == 1
        assert profile["startedAt"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started))


def test_a_forked_child_terminated_does_not_overwrite_the_profile(tmp_path):
    output = run_session_script(tmp_path, """
        import json, multiprocessing, time

        workers = []

        def handler(event, context):
            if not workers:  # a long-lived worker forked by the function, with the agent's SIGTERM handler
                workers.append(multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,)))
                workers[0].start()
            return event

        for number in range(4):
            session.invoke(handler, number, None)  # writes after 1, 2 and 4
        workers[0].terminate()  # SIGTERM: the child's copy of the agent must not write
        workers[0].join()
        with open(session.path) as source:
            print(len(json.load(source)["coldStarts"][0]["invocations"]))
        """, COLDSPY_WRITE_INTERVAL_S="0")
    assert output.split() == ["4"]


def test_a_long_lived_environment_lists_its_first_invocations_and_counts_the_rest(tmp_path, monkeypatch):
    from coldspy import agent as agent_module
    from coldspy import document

    monkeypatch.setattr(agent_module, "INVOCATIONS_LISTED", 3)
    app = write_app(tmp_path / "app", {"late_mod.py": "def used():\n    return 1\n"})
    monkeypatch.syspath_prepend(app)
    agent = agent_module.Agent(interval_us=0, usage_signal="setprofile")
    agent.start()
    agent.end_init()

    def handler(event, context):
        if event == 4:  # used only after the listed invocations: still counts as used
            import late_mod
            return late_mod.used()
        return event

    for number in range(6):
        agent.invoke(handler, number, None, "e")
    agent.finish()
    record = agent.snapshot()
    assert [invocation["event"] for invocation in record["invocations"]] == ["e", "e", "e"]
    assert record["invocationsNotListed"] == 3
    assert record["moduleUsage"]["late_mod"]["executed"] is True
    profile = validate(document.build([record], {"handler": "h.h", "root": str(app), "name": "n"},
                                      document.environment_facts(True, None),
                                      {"sampleIntervalUs": 0, "clock": "cpu", "coldStarts": 1}))
    assert profile["coldStarts"][0]["invocationsNotListed"] == 3



def test_a_forked_child_ends_on_sigterm_even_if_a_lost_thread_held_the_write_lock(tmp_path):
    output = run_session_script(tmp_path, """
        import os, signal, threading, time

        held = threading.Event()

        def hold():  # a write in progress in another thread when the function forks
            with session._write_lock:
                held.set()
                time.sleep(30)

        threading.Thread(target=hold, daemon=True).start()
        held.wait()
        child = os.fork()
        if child == 0:
            time.sleep(60)
            os._exit(0)
        time.sleep(0.2)
        os.kill(child, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done, status = os.waitpid(child, os.WNOHANG)
            if done:
                print("ended by signal", os.WTERMSIG(status) if os.WIFSIGNALED(status) else None)
                os._exit(0)
            time.sleep(0.05)
        os.kill(child, signal.SIGKILL)
        print("still running")
        os._exit(0)
        """)
    assert output.strip() == "ended by signal %d" % signal.SIGTERM


def test_auto_keeps_the_module_class_the_app_gave_its_handler_module(tmp_path):
    root = write_app(tmp_path / "task", dict(EVENTS, **{
        "handler.py": textwrap.dedent("""
            import sys
            import types


            class AppModule(types.ModuleType):
                @property
                def answer(self):
                    return 42


            sys.modules[__name__].__class__ = AppModule
            import setup_profiling


            def handler(event, context):
                return sys.modules[__name__].answer
            """),
        "setup_profiling.py": "import coldspy.auto\n"}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", PYTHONPATH=PROFILER_DIR)
    completed, report = run_runtime([sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert returned(report) == [42, 42, 42]


@pytest.mark.parametrize("handler_text, inner_init", [
    ("layer_wrapper.entry.handler", None),
    ("layer_wrapper.inner.entry.handler", ""),
    ("layer_wrapper.inner.entry.handler", "from . import entry\n"),  # on its package before the watch starts
], ids=["package", "nested-package", "nested-package-importing-it"])
def test_auto_under_a_layer_whose_package_imports_the_application_first(tmp_path, handler_text, inner_init):
    # A monitoring layer's handler is the runtime's (_HANDLER), and the application's module is imported by the
    # layer's package while it imports, before the handler's own module exists: Datadog's layer does that with
    # its tracer on (DD_LAMBDA_HANDLER, ddtrace's aws_lambda patch). The handler's module is watched from the
    # moment its import puts it on its package.
    entry = textwrap.dedent("""
        import importlib
        import os
        import sys
        import types

        module_name, _, function = os.environ["WRAPPED_HANDLER"].rpartition(".")
        wrapped = getattr(importlib.import_module(module_name), function)


        def handler(event, context):
            # The layer's packages have their own class back once the handler's module was put on its package.
            assert all(type(module) is types.ModuleType for name, module in sys.modules.items()
                       if name.startswith("layer_wrapper"))
            return wrapped(event, context)
        """)
    preload = "import importlib, os\nimportlib.import_module(os.environ['WRAPPED_HANDLER'].rpartition('.')[0])\n"
    files = {"handler.py": "import coldspy.auto\n" + HANDLER_BODY, "layer_wrapper/__init__.py": preload}
    if inner_init is None:
        files["layer_wrapper/entry.py"] = entry
    else:
        files.update({"layer_wrapper/inner/__init__.py": inner_init, "layer_wrapper/inner/entry.py": entry})
    root = write_app(tmp_path / "task", dict(EVENTS, **files))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", COLDSPY_WRITE_INTERVAL_S="0",
                     PYTHONPATH=PROFILER_DIR, _HANDLER=handler_text, WRAPPED_HANDLER="handler.handler")
    completed, report = run_runtime([sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert "coldspy.auto" not in completed.stderr
    assert report["extensionRegistered"]
    check_passthrough(report, written=(1, 2, 2))
    profile = only_profile(output_dir)
    assert profile["app"]["handler"] == handler_text
    (cold_start,) = profile["coldStarts"]
    assert len(cold_start["invocations"]) == 3
    assert module(cold_start, "colorsys")["phase"] == "init"
    assert module(cold_start, "csv")["phase"] == "execution"
    assert profile["errors"] == []


def test_auto_says_so_when_it_never_saw_the_runtime_look_the_handler_up(tmp_path):
    # The layer's package gives itself a class of its own after importing the application, dropping the one that
    # waited for the handler's module: init never ends for the agent. The function runs unprofiled, and the
    # profile written at exit says why.
    preload = textwrap.dedent("""
        import importlib, os, sys, types
        importlib.import_module(os.environ["WRAPPED_HANDLER"].rpartition(".")[0])


        class LayerModule(types.ModuleType):
            pass


        sys.modules[__name__].__class__ = LayerModule
        """)
    entry = ("import handler as app\n\n\ndef handler(event, context):\n    return app.handler(event, context)\n")
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": "import coldspy.auto\n" + HANDLER_BODY,
                                                         "layer_wrapper/__init__.py": preload,
                                                         "layer_wrapper/entry.py": entry}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", PYTHONPATH=PROFILER_DIR,
                     _HANDLER="layer_wrapper.entry.handler", WRAPPED_HANDLER="handler.handler")
    completed, report = run_runtime([sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert returned(report) == PASSED_THROUGH
    assert not report["extensionRegistered"]
    assert [e["message"] for e in only_profile(output_dir)["errors"]] == [
        "init never ended: the runtime's lookup of the handler layer_wrapper.entry.handler was not seen (the exec"
        " wrapper profiles a function however its handler module is imported)"]


def test_auto_in_a_package_that_imports_and_warms_up_its_handler(tmp_path):
    # The runtime imports pkg.app: the package's __init__ looks the handler up and calls it once (a warm-up),
    # then imports more. All of that is init; the runtime's own lookup still gets the profiled handler.
    root = write_app(tmp_path / "task", dict(EVENTS, **{
        "pkg/__init__.py": textwrap.dedent("""
            from .app import handler
            try:
                handler({"reject": True}, None)
            except Exception:
                pass
            import wave
            """),
        "pkg/app.py": "import coldspy.auto\n" + HANDLER_BODY}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", COLDSPY_WRITE_INTERVAL_S="0",
                     PYTHONPATH=PROFILER_DIR, _HANDLER="pkg/app.handler")
    completed, report = run_runtime([sys.executable], root, env)
    assert completed.returncode == 0, completed.stderr
    assert report["extensionRegistered"]
    check_passthrough(report, written=(1, 2, 2))
    (cold_start,) = only_profile(output_dir)["coldStarts"]
    assert len(cold_start["invocations"]) == 3  # the warm-up call is init, not an invocation
    assert module(cold_start, "wave")["phase"] == "init"
