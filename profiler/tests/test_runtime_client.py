"""The exec wrapper under Lambda's own Python runtime client (awslambdaric from PyPI, as the managed runtime runs
it) against a stand-in of the Runtime API (runtime_api.py), on a fixture app: every response as without the
agent, the process ending at SIGTERM as without it, and every invocation in the profile; with one invocation at
a time, and with Lambda Managed Instances' worker processes."""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import PROFILER_DIR, REPO_DIR, WRAPPER, validate
from runtime_api import RuntimeApi

pytest.importorskip("awslambdaric", reason="Lambda's runtime interface client (pip install awslambdaric)")

APP = os.path.join(REPO_DIR, "fixtures", "apps", "rules_engine")
BOOTSTRAP = os.path.join(PROFILER_DIR, "tests", "lambda_bootstrap.py")


def events():
    found = []
    for path in sorted(glob.glob(os.path.join(APP, "events", "*.json"))):
        with open(path) as source:
            found.append(json.load(source))
    return found


def group_ended(group, seconds=30):
    """Whether every process of `group` has ended within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


class Run:
    def __init__(self, root, results, registrations, post_response_s, returncode, output, profiles):
        self.root = root  # the app's directory
        self.post_response_s = post_response_s  # per invocation, until the extension asked for its next event
        self.results = results  # per event, in the order of events(): (kind, body)
        self.registrations = registrations
        self.returncode = returncode
        self.output = output
        self.profiles = profiles


# A SIGTERM handler of the application's own, installed as its handler module imports, which lets the process go
# on (a tracer's that flushes, say: Datadog's wraps the one in place)
OWN_SIGTERM_HANDLER = "import signal; signal.signal(signal.SIGTERM, lambda signum, frame: None); "


def app_copy(tmp_path, name, first_line_prefix):
    """A copy of the app whose handler module's first line starts with `first_line_prefix` (on that line, so that
    every line number in an error's stack stays as in the app)."""
    root = tmp_path / name
    if not root.exists():
        shutil.copytree(APP, root)
        handler = root / "handler.py"
        handler.write_text(first_line_prefix + handler.read_text())
    return str(root)


def run_function(tmp_path, entry, managed_instances=False, own_sigterm_handler=False, sent=None, **env_extra):
    """Starts the runtime client on the app (`entry`: None, the agent's "wrapper" or "auto"), sends it every
    event (all at once to Managed Instances' workers), then SIGTERM, as Lambda sends at shutdown, to its
    processes. `returncode` is None for a process still running 3 s after it (then killed)."""
    output_dir = tmp_path / (entry or "without")
    output_dir.mkdir()
    # The application's handler before the agent's start with coldspy.auto (as Datadog's tracer, imported by its
    # layer's handler first), after it with the exec wrapper
    prefix = (OWN_SIGTERM_HANDLER if own_sigterm_handler else "") + ("import coldspy.auto; " if entry == "auto" else "")
    root = app_copy(tmp_path, "app_" + (entry or "without"), prefix) if prefix else APP
    api = RuntimeApi(managed_instances=managed_instances)
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=api.address, AWS_LAMBDA_FUNCTION_NAME="rules",
               AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512", LAMBDA_TASK_ROOT=root, _HANDLER="handler.handler",
               PYTHONPATH=root + (os.pathsep + PROFILER_DIR if entry == "auto" else ""),
               # Only the first write is scheduled (then 2, 4, 8... but an hour apart): the rest is the final write's
               COLDSPY_OUTPUT_DIR=str(output_dir), COLDSPY_WRITE_INTERVAL_S="3600",
               AWS_LAMBDA_INITIALIZATION_TYPE="lambda-managed-instances" if managed_instances else "on-demand")
    if managed_instances:
        env["AWS_LAMBDA_MAX_CONCURRENCY"] = "2"
    env.update(env_extra)
    command = ([WRAPPER] if entry == "wrapper" else []) + [sys.executable, BOOTSTRAP]
    log_path = output_dir / "runtime.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        sent = events() if sent is None else sent
        results = [None] * len(sent)

        def invoke(index):
            results[index] = api.invoke(sent[index])

        if managed_instances:
            api.wait_for_runtimes(2)  # both workers' init over: one still importing would be ended by SIGTERM
            threads = [threading.Thread(target=invoke, args=(index,)) for index in range(len(sent))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        else:
            for index in range(len(sent)):
                invoke(index)
        # Lambda shuts an idle environment down: its runtime waits for the next event (each worker, with Managed
        # Instances), not still posting the last response
        api.wait_for_runtimes(2 if managed_instances else 1)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            returncode = process.wait(timeout=3 if own_sigterm_handler else 30)
        except subprocess.TimeoutExpired:
            returncode = None
        if returncode is not None:
            # Managed Instances' workers outlive the runtime's first process by their final write
            assert group_ended(process.pid), "a process of the function did not end at SIGTERM"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # what is left of the group (Managed Instances' workers)
        except ProcessLookupError:
            pass
        api.close()
    profiles = []
    for path in sorted(glob.glob(str(output_dir / "coldspy-rules-*.json"))):
        with open(path) as source:
            profiles.append(validate(json.load(source)))
    return Run(root, results, api.registrations, api.post_response_s, returncode, log_path.read_text(), profiles)


def assert_same_results(with_agent, without):
    """Every response the same; an error too, its stack included (from Python 3.11; before, but for the one frame
    of the agent's wrapper, which re-raises it: see lambda_runtime.without_agent_frames)."""
    assert [kind for kind, _ in with_agent.results] == [kind for kind, _ in without.results]
    assert any(kind == "response" for kind, _ in without.results)
    assert any(kind == "error" for kind, _ in without.results)
    for (kind, body), (_, expected) in zip(with_agent.results, without.results):
        if kind == "error":
            stack = body["stackTrace"]
            if sys.version_info < (3, 11):
                wrapper_frame, *stack = stack
                assert "/coldspy/lambda_runtime.py" in wrapper_frame and "raise exc" in wrapper_frame
            body = dict(body, stackTrace=[frame.replace(with_agent.root, "APP") for frame in stack])
            expected = dict(expected, stackTrace=[frame.replace(without.root, "APP")
                                                  for frame in expected["stackTrace"]])
        assert body == expected


@pytest.mark.parametrize("execution_env", [
    # 3.9-3.11: the client waits for each next event inside its C code, where a Python signal handler cannot run
    "AWS_Lambda_python3.11",
    # 3.12 and later: it waits in a thread of its own, and the main thread handles signals
    "AWS_Lambda_python3.12",
])
@pytest.mark.parametrize("entry", ["wrapper", "auto"])
def test_every_response_and_the_end_at_sigterm_as_without_the_agent_with_every_invocation_in_the_profile(
        tmp_path, entry, execution_env):
    without = run_function(tmp_path, None, AWS_EXECUTION_ENV=execution_env)
    with_agent = run_function(tmp_path, entry, AWS_EXECUTION_ENV=execution_env)
    assert_same_results(with_agent, without)
    assert without.returncode == -signal.SIGTERM, without.output
    assert with_agent.returncode == -signal.SIGTERM, with_agent.output  # not left running until a SIGKILL
    assert with_agent.registrations == [("coldspy", {"events": ["INVOKE"]}, 200)]
    # Lambda's order: each invocation's work after its response, the first write the longest of them
    assert len(with_agent.post_response_s) == len(events())
    assert with_agent.post_response_s[0] > 0.0005, with_agent.post_response_s
    [profile] = with_agent.profiles
    assert profile["errors"] == [], profile["errors"]
    assert len(profile["coldStarts"][0]["invocations"]) == len(events())  # the final write, at SIGTERM
    assert profile["environment"]["initializationType"] == "on-demand"
    assert "coldspy:" not in with_agent.output  # the agent said nothing on the function's log


@pytest.mark.parametrize("entry", ["wrapper", "auto"])
def test_an_environment_shut_down_before_its_first_invocation_ends_at_sigterm_with_its_profile(tmp_path, entry):
    # Provisioned concurrency, a Managed Instances worker or a pre-warmed environment: init, then no request
    without = run_function(tmp_path, None, sent=[], AWS_EXECUTION_ENV="AWS_Lambda_python3.11")
    with_agent = run_function(tmp_path, entry, sent=[], AWS_EXECUTION_ENV="AWS_Lambda_python3.11")
    assert without.returncode == with_agent.returncode == -signal.SIGTERM, with_agent.output
    [profile] = with_agent.profiles
    assert profile["errors"] == [] and profile["coldStarts"][0]["invocations"] == []
    assert profile["coldStarts"][0]["modules"]


@pytest.mark.parametrize("entry", ["wrapper", "auto"])
def test_with_the_applications_own_sigterm_handler_the_process_goes_on_as_without_the_agent_with_every_invocation(
        tmp_path, entry):
    # Python 3.9-3.11: the application's handler cannot run while the client waits in C; the agent's watch writes
    without = run_function(tmp_path, None, own_sigterm_handler=True, AWS_EXECUTION_ENV="AWS_Lambda_python3.11")
    with_agent = run_function(tmp_path, entry, own_sigterm_handler=True, AWS_EXECUTION_ENV="AWS_Lambda_python3.11")
    assert without.returncode is None, without.output  # until Lambda's SIGKILL
    assert with_agent.returncode is None, with_agent.output  # the agent does not end it either
    [profile] = with_agent.profiles
    assert len(profile["coldStarts"][0]["invocations"]) == len(events())
    assert profile["errors"] == [], profile["errors"]


@pytest.mark.parametrize("entry", ["wrapper", "auto"])
def test_with_managed_instances_each_worker_profiles_its_own_init_and_nothing_registers(tmp_path, entry):
    without = run_function(tmp_path, None, managed_instances=True)
    with_agent = run_function(tmp_path, entry, managed_instances=True)
    assert_same_results(with_agent, without)
    assert with_agent.returncode == without.returncode
    # Extensions may register for SHUTDOWN only there: the agent registers none and works in a thread of its own
    assert with_agent.registrations == []
    assert len(with_agent.profiles) == 2, with_agent.output  # one per worker process, each written at its init
    for profile in with_agent.profiles:
        assert profile["errors"] == [], profile["errors"]
        assert profile["environment"]["initializationType"] == "lambda-managed-instances"
        assert profile["coldStarts"][0]["modules"], "the worker's own import of the handler module"
    assert sum(len(profile["coldStarts"][0]["invocations"]) for profile in with_agent.profiles) == len(events())
