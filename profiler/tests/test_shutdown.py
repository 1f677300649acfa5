"""Lambda's shutdown: SIGTERM reaches the agent's final write between invocations even where the runtime's main
thread waits inside C code (SigtermWake; the whole path under Lambda's runtime client: test_runtime_client.py),
and the watch leaves the application's own wakeup fd and the processes it forks alone."""

import json
import os
import signal
import threading

import pytest
from conftest import started_local_session

from coldspy import lambda_runtime


@pytest.fixture
def handlers():
    """Python handlers for SIGTERM and SIGUSR1 that only count (the C handler then writes to the wakeup fd)."""
    seen = []
    previous = {signum: signal.signal(signum, lambda signum, frame: seen.append(signum))
                for signum in (signal.SIGTERM, signal.SIGUSR1)}
    yield seen
    signal.set_wakeup_fd(-1)
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.fixture
def noted():
    """The errors a SigtermWake notes; none expected."""
    errors = []
    yield errors
    assert errors == []


def test_sigterm_between_invocations_wakes_the_watch_and_other_signals_do_not(handlers, noted):
    called = threading.Event()
    wake = lambda_runtime.SigtermWake(called.set, noted.append)
    wake.arm()  # an invocation has ended
    wake.watch()
    os.kill(os.getpid(), signal.SIGUSR1)  # the sampler's signal, say
    assert not called.wait(0.3)
    os.kill(os.getpid(), signal.SIGTERM)
    assert called.wait(5)


def test_during_an_invocation_the_watch_is_off(handlers, noted):
    called = threading.Event()
    wake = lambda_runtime.SigtermWake(called.set, noted.append)
    wake.arm()
    wake.watch()
    wake.disarm()  # the next invocation began: its handler's Python handler runs in the main thread
    os.kill(os.getpid(), signal.SIGTERM)
    assert handlers == [signal.SIGTERM]
    assert not called.wait(0.3)


def test_a_watch_that_cannot_be_set_is_noted_once_and_given_up(handlers):
    errors = []
    called = threading.Event()
    wake = lambda_runtime.SigtermWake(called.set, errors.append)
    arming = threading.Thread(target=wake.arm)  # set_wakeup_fd works in the main thread only
    arming.start()
    arming.join()
    assert len(errors) == 1 and errors[0].startswith("SIGTERM between invocations: ValueError: ")
    assert errors[0].endswith("; not watched")
    wake.arm()  # given up: neither set in the main thread now nor noted again
    assert signal.set_wakeup_fd(-1) == -1
    wake.watch()
    os.kill(os.getpid(), signal.SIGTERM)
    assert handlers == [signal.SIGTERM]  # the Python handler runs as without the watch
    assert not called.wait(0.3) and len(errors) == 1


def test_a_session_whose_watch_gets_no_pipe_notes_it_in_the_profile_and_goes_on(tmp_path, monkeypatch):
    def no_pipe():
        raise OSError(24, "Too many open files")

    session = started_local_session(tmp_path, monkeypatch)
    try:
        session.end_init()
        monkeypatch.setattr(os, "pipe", no_pipe)
        session._sigterm_wake.arm()  # as at the end of an invocation with the extension
        assert signal.set_wakeup_fd(-1) == -1
        assert session.invoke(lambda event, context: event, 1, None) == 1
        with open(session.path) as source:
            errors = [error["message"] for error in json.load(source)["errors"]]
        assert "SIGTERM between invocations: OSError: [Errno 24] Too many open files; not watched" in errors
    finally:
        session.agent.finish()


@pytest.fixture
def application_fd():
    """The write end of a pipe such as an application's event loop sets as its wakeup fd (closed afterwards)."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    yield write_end
    signal.set_wakeup_fd(-1)
    os.close(read_end)
    os.close(write_end)


def test_a_wakeup_fd_the_application_set_is_left_to_it(handlers, noted, application_fd):
    signal.set_wakeup_fd(application_fd)  # as an application's event loop in the main thread may do
    wake = lambda_runtime.SigtermWake(lambda: None, noted.append)
    for _ in range(2):
        wake.arm()
        assert signal.set_wakeup_fd(application_fd) == application_fd  # still the application's
        wake.disarm()
        assert signal.set_wakeup_fd(application_fd) == application_fd


def test_a_wakeup_fd_set_between_invocations_is_not_taken_away_before_the_next(handlers, noted, application_fd):
    wake = lambda_runtime.SigtermWake(lambda: None, noted.append)
    wake.arm()
    signal.set_wakeup_fd(application_fd)  # by a thread's code? only the main thread can: checked all the same
    wake.disarm()  # the next invocation begins
    assert signal.set_wakeup_fd(application_fd) == application_fd
    wake.arm()
    assert signal.set_wakeup_fd(application_fd) == application_fd  # and no watch from then on


def test_a_process_forked_between_invocations_does_not_inherit_the_watch(handlers, noted):
    wake = lambda_runtime.SigtermWake(lambda: None, noted.append)
    wake.arm()
    pid = os.fork()  # an application's thread may fork while the runtime waits for the next event
    if pid == 0:
        # The child's SIGTERM must not reach the parent's watch through the inherited pipe
        os._exit(0 if signal.set_wakeup_fd(-1) == -1 else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    wake.disarm()


def test_sigterm_before_the_handler_was_looked_up_is_named_in_the_profile(tmp_path, monkeypatch):
    session = started_local_session(tmp_path, monkeypatch)  # init under way: the handler module imports
    try:
        session.close(ended_by="SIGTERM")  # Lambda shut the environment down meanwhile
    finally:
        session.agent.finish()
    assert "init never ended: SIGTERM came before the runtime looked the handler app.handler up" \
        in session.agent.errors


@pytest.fixture
def kills(monkeypatch):
    """os.kill recorded instead of made: a wrong end must fail the test, not end the test run."""
    made = []
    monkeypatch.setattr(os, "kill", lambda pid, signum: made.append(signum))
    return made


def test_a_sigterm_handler_the_application_installed_since_decides_the_end(tmp_path, monkeypatch, kills):
    session = started_local_session(tmp_path, monkeypatch)
    session.end_init()
    signal.signal(signal.SIGTERM, lambda signum, frame: None)  # the application's, set in an invocation
    try:
        session._terminated_between_invocations()  # the watch saw SIGTERM
        assert kills == []  # the application's handler decides whether the process goes on
        assert os.path.exists(session.path)  # the profile so far
        assert not session.agent.closed
    finally:
        session.agent.finish()


def test_with_the_applications_own_sigterm_handler_the_watch_writes_the_profile_so_far(tmp_path, monkeypatch, kills):
    # A tracer that installed its SIGTERM handler before the agent started (Datadog's, under coldspy.auto)
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    session = started_local_session(tmp_path, monkeypatch)
    try:
        assert signal.getsignal(signal.SIGTERM) is not session._on_sigterm  # the application's stays
        session.end_init()
        session.invoke(lambda event, context: event, 1, None)
        session._terminated_between_invocations()
        assert kills == []
        with open(session.path) as source:
            assert len(json.load(source)["coldStarts"][0]["invocations"]) == 1
        assert not session.agent.closed
    finally:
        session.agent.finish()
