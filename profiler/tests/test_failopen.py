"""A failure inside the agent never changes what the handler returns or raises; handler errors pass through."""

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import coldspy.agent
from coldspy.agent import Agent
from conftest import FAR_PADDING, PROFILER_DIR, agent_env, profile_app, write_app


def thread_profile():
    """The profile hook threading gives new threads (threading.getprofile() from 3.10; the agent reads the
    attribute behind it, there on every version)."""
    return threading._profile_hook


class HandlerError(Exception):
    pass


def run_one(agent, handler, event=None):
    """One cold start with one invocation, as the hosts (coldspy._child, coldspy.lambda_runtime) drive it."""
    agent.start()
    agent.end_init()
    agent.settle()
    try:
        return agent.invoke(handler, event if event is not None else {}, None, "event.json")
    finally:
        agent.finish()
        agent.snapshot()


def init_record(module_name):
    """The record of an init that imports `module_name`, under an agent without sampling."""
    agent = Agent(interval_us=0)
    agent.start()
    importlib.import_module(module_name)
    agent.end_init()
    agent.finish()
    return agent.snapshot()


def test_return_value_passes_through_unchanged():
    sentinel = object()
    agent = Agent(interval_us=1000)
    assert run_one(agent, lambda event, context: sentinel) is sentinel
    assert agent.errors == []


def test_handler_exception_passes_through_unchanged():
    raised = HandlerError("boom")

    def handler(event, context):
        raise raised

    agent = Agent(interval_us=1000)
    with pytest.raises(HandlerError) as caught:
        run_one(agent, handler)
    assert caught.value is raised
    record = agent.snapshot()
    assert record["invocations"][0]["outcome"] == "exception"
    assert record["invocations"][0]["exceptionType"] == "test_failopen.HandlerError"


@pytest.mark.parametrize("broken", ["_fold", "_take_samples", "_begin_invocation", "_end_invocation", "_install_import_hook",
                                   "_install_sampler", "_stop_usage_signal"])
def test_injected_agent_fault_is_recorded_not_raised(monkeypatch, broken):
    def fault(*args, **kwargs):
        raise RuntimeError("injected fault")

    monkeypatch.setattr(Agent, broken, fault)
    sentinel = object()
    # setprofile: the usage signal's steps run at every invocation (with none they are skipped)
    agent = Agent(interval_us=1000, usage_signal="setprofile")
    assert run_one(agent, lambda event, context: sentinel) is sentinel
    assert any("injected fault" in message for message in agent.errors), agent.errors
    # Whatever step failed, the finished agent leaves no callback on the application's calls.
    assert sys.getprofile() is None and thread_profile() is None
    raised = HandlerError()

    def handler(event, context):
        raise raised

    agent = Agent(interval_us=1000, usage_signal="setprofile")
    with pytest.raises(HandlerError) as caught:
        run_one(agent, handler)
    assert caught.value is raised
    assert sys.getprofile() is None and thread_profile() is None


def test_timers_and_signal_handlers_are_restored():
    for clock, signum, timer in (("wall", signal.SIGALRM, signal.ITIMER_REAL),
                                 ("cpu", signal.SIGPROF, signal.ITIMER_PROF)):
        before = signal.getsignal(signum)
        agent = Agent(interval_us=500, clock=clock)
        run_one(agent, lambda event, context: sum(range(200000)))
        assert signal.getsignal(signum) == before
        assert signal.getitimer(timer) == (0.0, 0.0)


def burn_cpu(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_cpu_timer_stays_armed_between_invocations_and_samples_only_inside_them():
    # No setitimer per invocation (after an idle time each cost tens of µs of the response): the CPU clock's
    # timer runs on between invocations, and what it catches there is no invocation's.
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    agent.end_init()
    try:
        agent.invoke(lambda event, context: burn_cpu(0.05), {}, None, "busy.json")
        assert signal.getitimer(signal.ITIMER_PROF)[0] > 0
        burn_cpu(0.1)  # between invocations: the runtime's work, the extension's write
        agent.invoke(lambda event, context: None, {}, None, "idle.json")
    finally:
        agent.finish()
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    busy, idle = agent.snapshot()["invocations"]
    assert busy["samples"] >= 25  # ~50 at 1 ms
    assert idle["samples"] <= 2  # a tick landing as the call starts, at most; not the 100 ms before it
    assert agent.errors == []


def test_short_invocations_are_sampled_in_proportion_to_their_cpu_time():
    # Re-armed at each call, the timer restarted its count every time: the kernel checks CPU timers at its
    # clock ticks (every 1-4 ms), so calls shorter than that got no sample at all. Running on, it samples the
    # process's CPU time uniformly and the ticks that land in calls count for the calls' share of it.
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    agent.end_init()
    try:
        for _ in range(60):
            time.sleep(0.002)
            agent.invoke(lambda event, context: burn_cpu(0.001), {}, None, "short.json")
    finally:
        agent.finish()
    invocations = agent.snapshot()["invocations"]
    assert sum(invocation["samples"] for invocation in invocations) >= 30  # ~60 ms of CPU at 1 ms


def test_a_sampler_failure_is_noted_not_raised_in_the_interrupted_code(monkeypatch):
    # The sampler runs as a signal handler: an exception of it would be raised in whatever code the signal
    # interrupted, the handler module's import or the handler itself.
    monkeypatch.setattr(coldspy.agent, "_LINE_READ_AT_ONCE_BYTES", None)  # every sample now fails
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    try:
        burn_cpu(0.05)
        agent.end_init()
        assert agent.invoke(lambda event, context: burn_cpu(0.05) or "done", {}, None, "busy.json") == "done"
    finally:
        agent.finish()
    assert [error.split(":")[:2] for error in agent.errors] == [["sampler", " TypeError"]]


def test_an_application_handlers_exception_raised_during_a_sample_reaches_the_application(monkeypatch):
    # An application's own signal (a SIGALRM timeout, say) may arrive while the sampler's handler runs: its
    # handler then runs inside the sampler's, and what it raises is the application's to catch.
    class Timeout(Exception):
        pass

    def on_timeout(signum, frame):
        raise Timeout()

    class LimitThatRaisesTheSignal(int):
        # Read by the sampler at every module-body frame: the application's signal arrives in the middle of a
        # sample, once.
        raised = []

        def __gt__(self, offset):
            if not self.raised:
                self.raised.append(True)
                signal.raise_signal(signal.SIGUSR1)
            return int(self) > offset

    previous = signal.signal(signal.SIGUSR1, on_timeout)
    monkeypatch.setattr(coldspy.agent, "_LINE_READ_AT_ONCE_BYTES", LimitThatRaisesTheSignal(1024))
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    try:
        with pytest.raises(Timeout):
            burn_cpu(1.0)
        assert LimitThatRaisesTheSignal.raised
    finally:
        agent.end_init()
        agent.finish()
        signal.signal(signal.SIGUSR1, previous)
    assert agent.errors == []


def test_wall_timer_is_stopped_between_invocations():
    agent = Agent(interval_us=1000, clock="wall", usage_signal="none")
    agent.start()
    agent.end_init()
    try:
        agent.invoke(lambda event, context: None, {}, None, "one.json")
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # it would tick through idle and frozen time
    finally:
        agent.finish()


def test_an_application_taking_the_signal_over_between_invocations_is_noted():
    before = signal.getsignal(signal.SIGPROF)
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    agent.end_init()
    try:
        agent.invoke(lambda event, context: None, {}, None, "one.json")
        signal.signal(signal.SIGPROF, lambda signum, frame: None)
        agent.invoke(lambda event, context: burn_cpu(0.02), {}, None, "two.json")
        record = agent.snapshot()
    finally:
        agent.finish()  # leaves the application's handler and timer alone
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, before)
    assert any("installed its own handler for signal %d" % signal.SIGPROF in message
               for message in record["errors"]), record["errors"]
    assert record["invocations"][1]["samples"] == 0


@pytest.mark.parametrize("post_response", [False, True])
def test_sampling_goes_on_after_the_application_stops_the_timer(post_response):
    # The timer is not armed before each invocation: the check after each one (in Lambda, after the response)
    # arms it again when the application stopped it, leaving the agent's handler in place.
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    agent.end_init()
    try:
        def stops_the_timer(event, context):
            burn_cpu(0.02)
            signal.setitimer(signal.ITIMER_PROF, 0, 0)

        for handler in (stops_the_timer, lambda event, context: burn_cpu(0.05)):
            agent.invoke(handler, {}, None, "event.json", post_response=post_response)
            if post_response:
                agent.after_response()
    finally:
        agent.finish()
    stopped, later = agent.snapshot()["invocations"]
    assert later["samples"] >= 25  # ~50 at 1 ms
    assert agent.errors == []


def test_an_application_taking_the_signal_over_is_noted_when_the_agent_finishes_first():
    # The order of the local runner and of the Lambda session's last write: finish(), then snapshot().
    before = signal.getsignal(signal.SIGPROF)
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    signal.signal(signal.SIGPROF, lambda signum, frame: None)
    try:
        agent.end_init()
        agent.invoke(lambda event, context: None, {}, None, "one.json")
        agent.finish()
        record = agent.snapshot()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, before)
    assert any("installed its own handler for signal %d" % signal.SIGPROF in message
               for message in record["errors"]), record["errors"]


def test_a_process_that_exits_without_finishing_the_agent_exits_normally():
    # The CPU timer is armed when the interpreter exits; its signal's default action would kill the process.
    code = ("from coldspy.agent import Agent\n"
            "agent = Agent(interval_us=200, clock='cpu')\n"
            "agent.start(); agent.end_init()\n"
            "agent.invoke(lambda e, c: None, {}, None, 'one.json')\n"
            "import time\n"
            "end = time.process_time() + 0.2\n"
            "while time.process_time() < end: pass\n"
            "print('exited normally')\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                               env=dict(os.environ, PYTHONPATH=PROFILER_DIR))
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "exited normally"


def test_sampler_stays_off_when_the_app_owns_the_signal():
    def app_handler(signum, frame):
        pass

    previous = signal.signal(signal.SIGALRM, app_handler)
    try:
        agent = Agent(interval_us=1000, clock="wall")
        assert run_one(agent, lambda event, context: 42) == 42
        assert signal.getsignal(signal.SIGALRM) is app_handler
        assert any("already has a handler" in message for message in agent.errors)
    finally:
        signal.signal(signal.SIGALRM, previous)


FAULT_INJECTOR = """
    # Loaded at interpreter start-up (site imports sitecustomize): breaks the agent inside the child.
    from coldspy import agent

    def broken(self, *args):
        raise RuntimeError("injected fault in the child")

    agent.Agent.{method} = broken
    """


@pytest.mark.parametrize("method", ["_fold", "_install_import_hook", "snapshot"])
def test_child_with_a_broken_agent_still_runs_the_handler(tmp_path, method):
    app = write_app(tmp_path / "app", {
        "handler.py": """
            def handler(event, context):
                with open(event["marker"], "a") as out:
                    out.write("called\\n")
                return "ok"
            """,
        "events/one.json": {"marker": str(tmp_path / "calls.txt")},
    })
    injector = write_app(tmp_path / "inject", {"sitecustomize.py": FAULT_INJECTOR.format(method=method)})
    from conftest import run_cli
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events"),
                         "--cold-starts", "2", "--invocations", "2", "-o", str(tmp_path / "p.json")],
                        env=agent_env(injector))
    with open(tmp_path / "calls.txt") as calls:
        assert calls.read().count("called") == 4  # every invocation of every cold start ran
    if method == "snapshot":
        # No record at all: the runner says so instead of writing an empty profile.
        assert completed.returncode == 1
        assert "injected fault in the child" in completed.stderr
    else:
        assert completed.returncode == 0, completed.stderr
        with open(tmp_path / "p.json") as source:
            profile = json.load(source)
        assert any("injected fault in the child" in e["message"] for e in profile["errors"])


def test_raising_handler_is_profiled_and_reported(tmp_path, python):
    root = write_app(tmp_path, {
        "handler.py": """
            class PaymentDeclined(Exception):
                pass

            def handler(event, context):
                if event["fail"]:
                    raise PaymentDeclined("card 4111 declined")
                return {"status": "ok"}
            """,
        "events/a_fail.json": {"fail": True},
        "events/b_ok.json": {"fail": False},
    })
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "2"])
    outcomes = [(inv["event"], inv["outcome"], inv["exceptionType"])
                for cs in profile["coldStarts"] for inv in cs["invocations"]]
    assert outcomes == [("a_fail.json", "exception", "handler.PaymentDeclined"), ("b_ok.json", "return", None)] * 2
    assert "4111" not in json.dumps(profile)  # no exception message: it may hold data


def test_a_module_replaced_by_an_object_without_a_dict_is_recorded_without_a_file(tmp_path):
    # Some packages put another object into sys.modules in their own place; the agent reads module files
    # only when it assembles the record, and must not fail on objects it cannot look into.
    root = write_app(tmp_path, {
        "handler.py": """
            import replaced


            def handler(event, context):
                return replaced.bit_length()
            """,
        "replaced.py": "import sys\nsys.modules[__name__] = 12345\n",
        "events/one.json": {},
    })
    profile = profile_app(root, extra=["--cold-starts", "1", "--invocations", "1"])
    cold_start = profile["coldStarts"][0]
    recorded = [m for m in cold_start["modules"] if m["name"] == "replaced"]
    assert recorded and recorded[0]["file"] is None
    assert profile["errors"] == []


def test_a_statement_that_cannot_be_read_leaves_the_trigger_and_a_note(tmp_path, monkeypatch):
    # The trigger and the statement are read from the frames as the import starts: a failure while walking out
    # to the module body (here that module's file cannot be told apart) leaves the trigger as read, no half-made
    # statement, and a note.
    write_app(tmp_path, {
        "faulty_statement_loader.py": "def load():\n    import faulty_statement_inner\n",
        "faulty_statement_mod.py": "import faulty_statement_loader\n\nfaulty_statement_loader.load()\n",
        "faulty_statement_inner.py": "VALUE = 1\n",
    })
    monkeypatch.syspath_prepend(str(tmp_path))
    real_file_kind = coldspy.agent._file_kind

    def file_kind(filename):
        if filename.endswith("faulty_statement_mod.py"):
            raise ZeroDivisionError("no kind")
        return real_file_kind(filename)

    monkeypatch.setattr(coldspy.agent, "_file_kind", file_kind)
    record = init_record("faulty_statement_mod")
    recorded = [m for m in record["modules"] if m["name"] == "faulty_statement_inner"]
    assert recorded and recorded[0]["trigger"] == [str(tmp_path / "faulty_statement_loader.py"), 2]
    assert "statement" not in recorded[0]
    assert any(error.startswith("import hook: ZeroDivisionError: no kind") for error in record["errors"])


def test_a_trigger_worked_out_after_the_response_that_fails_is_left_out_with_a_note(tmp_path, monkeypatch):
    # An import far into its module body keeps (code, f_lasti) through init and gets its line in snapshot(): a
    # failure there must leave no half-made trigger or statement in the record.
    write_app(tmp_path, {
        "far_faulty_mod.py": FAR_PADDING + "import far_faulty_leaf\n\n\n"
                                           "def load():\n    import far_faulty_inner\n\n\nload()\n",
        "far_faulty_leaf.py": "VALUE = 1\n",
        "far_faulty_inner.py": "VALUE = 2\n",
    })
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("coldspy.agent.line_of", lambda code, offset: 1 // 0)
    record = init_record("far_faulty_mod")
    leaf = [m for m in record["modules"] if m["name"] == "far_faulty_leaf"]
    assert leaf and leaf[0]["trigger"] is None
    inner = [m for m in record["modules"] if m["name"] == "far_faulty_inner"]
    assert inner and inner[0]["trigger"] is not None and "statement" not in inner[0]  # its own line was cheap
    assert any(error.startswith("import trigger: ZeroDivisionError") for error in record["errors"])
    assert any(error.startswith("import statement: ZeroDivisionError") for error in record["errors"])


def test_a_usage_callback_left_on_by_one_failed_invocation_is_taken_off_by_finish(monkeypatch):
    # The next invocation finds the agent's own callback installed: it must not take it for the application's,
    # or every later restore would put the agent's callback back.
    real_stop = Agent._stop_usage_signal
    failures = [RuntimeError("injected fault")]

    def stop_failing_once(self):
        if failures:
            raise failures.pop()
        return real_stop(self)

    monkeypatch.setattr(Agent, "_stop_usage_signal", stop_failing_once)
    agent = Agent(interval_us=0, usage_signal="setprofile")
    agent.start()
    agent.end_init()
    for _ in range(2):
        agent.invoke(lambda event, context: None, {}, None, "event.json")
    assert sys.getprofile() is None  # the second invocation's end restored what the application had
    agent.finish()
    assert sys.getprofile() is None and thread_profile() is None
    assert any("injected fault" in message for message in agent.errors)


def test_a_thread_started_during_an_invocation_feeds_the_usage_signal_only_during_invocations():
    # threading hands the setprofile callback to each thread started while it is set; such a thread outlives the
    # invocation, and its calls afterwards (or after finish()) belong to no invocation.
    agent = Agent(interval_us=0, usage_signal="setprofile")
    agent.start()
    agent.end_init()
    go, done = threading.Event(), threading.Event()

    def background():
        go.wait()
        for _ in range(100):
            json.dumps({"n": 1})
        done.set()

    def handler(event, context):
        threading.Thread(target=background, daemon=True).start()

    agent.invoke(handler, {}, None, "event.json")
    agent.finish()
    go.set()
    assert done.wait(10)
    assert agent._seen_code == []


def test_the_applications_own_profile_hooks_are_put_back_after_each_invocation_and_at_finish():
    def application_hook(frame, event, arg):
        pass

    sys.setprofile(application_hook)
    threading.setprofile(application_hook)
    try:
        agent = Agent(interval_us=0, usage_signal="setprofile")
        agent.start()
        agent.end_init()
        for _ in range(2):
            agent.invoke(lambda event, context: None, {}, None, "event.json")
            assert sys.getprofile() is application_hook and thread_profile() is application_hook
        agent.finish()
        assert sys.getprofile() is application_hook and thread_profile() is application_hook
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
