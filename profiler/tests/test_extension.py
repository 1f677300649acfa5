"""The agent's Lambda extension keeps Lambda's protocol whatever the Extensions API answers: every invocation is
followed by a request for the next event (else Lambda would hold the environment until the function's
timeout), and once the API is gone the agent writes after each handler call instead."""

import json
import os
import socket
import threading
import time

import pytest
from extensions_api import ExtensionsApi

from coldspy import extension, lambda_runtime


class OddApi:
    """An Extensions API on loopback that registers the extension (or refuses to), answers the first request
    for the next event with a cut-off body, holds the later ones open, and can go away."""

    def __init__(self, refuse_registration=False):
        self.refuse_registration = refuse_registration
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.address = "127.0.0.1:%d" % self.server.getsockname()[1]
        self.next_requests = 0
        self.held = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return  # closed
            request = connection.recv(65536)
            if b"/register" in request and self.refuse_registration:
                connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 22\r\n\r\nregistration is closed")
                connection.close()
                continue
            if b"/register" in request:
                connection.sendall(b"HTTP/1.1 200 OK\r\nLambda-Extension-Identifier: id\r\nContent-Length: 2\r\n\r\n{}")
                connection.close()
                continue
            self.next_requests += 1
            if self.next_requests == 1:
                connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{"eventType": "INV')
                connection.close()
            else:
                self.held.append(connection)

    def go_away(self):
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in the serving thread
        except OSError:
            pass
        self.server.close()
        for connection in self.held:
            connection.close()


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def started_session(api, tmp_path, monkeypatch, **settings):
    """A LambdaSession against `api` with COLDSPY_* `settings`, started (its init under way)."""
    monkeypatch.setenv("AWS_LAMBDA_RUNTIME_API", api.address)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
    monkeypatch.setenv("COLDSPY_OUTPUT_DIR", str(tmp_path))
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(lambda_runtime, "ACTIVE", [])
    lambda_session = lambda_runtime.LambdaSession("x.h")
    lambda_session.start()
    return lambda_session


@pytest.fixture
def session(tmp_path, monkeypatch):
    api = OddApi()
    lambda_session = started_session(api, tmp_path, monkeypatch, COLDSPY_WRITE_INTERVAL_S="0")
    lambda_session.end_init()
    yield lambda_session, api
    lambda_session.agent.finish()
    api.go_away()


def invocations_in(path):
    with open(path) as source:
        return len(json.load(source)["coldStarts"][0]["invocations"])


def test_a_cut_off_event_still_ends_with_a_request_for_the_next(session):
    lambda_session, api = session
    assert lambda_session.invoke(lambda event, context: "ok", None, None) == "ok"
    assert wait_for(lambda: api.next_requests == 2), api.next_requests  # the freeze can happen
    assert lambda_session._extension.alive
    assert wait_for(lambda: os.path.exists(lambda_session.path))  # the write after the response was done
    assert any("reading the Lambda extension's event" in error for error in lambda_session.agent.errors)


def test_once_the_api_is_gone_the_writes_follow_each_handler_call(session):
    lambda_session, api = session
    lambda_session.invoke(lambda event, context: "ok", None, None)
    assert wait_for(lambda: api.next_requests == 2)
    api.go_away()
    lambda_session.invoke(lambda event, context: "ok", None, None)  # its event never comes: the thread stops
    assert wait_for(lambda: not lambda_session._extension.alive)
    for _ in range(2):
        lambda_session.invoke(lambda event, context: "ok", None, None)
    assert invocations_in(lambda_session.path) == 4  # written after the handler, without the extension
    assert any("the Lambda extension stopped" in error for error in lambda_session.agent.errors)


def test_a_refused_registration_is_noted_and_the_writes_follow_each_handler_call(tmp_path, monkeypatch):
    api = OddApi(refuse_registration=True)
    lambda_session = started_session(api, tmp_path, monkeypatch, COLDSPY_S3_URI="s3://profiles/lambda")
    try:
        lambda_session.end_init()  # the registration's answer is read here
        assert lambda_session.invoke(lambda event, context: "ok", None, None) == "ok"
        assert invocations_in(lambda_session.path) == 1  # written right after the handler call
        assert api.next_requests == 0
        errors = lambda_session.agent.errors
        assert "registering the Lambda extension: RuntimeError: status 403: registration is closed" in errors, errors
        assert "COLDSPY_S3_URI: the extension did not register; profiles are not uploaded" in errors, errors
    finally:
        lambda_session.agent.finish()
        api.go_away()


def test_a_refused_registration_after_an_init_error_is_in_the_final_profile(tmp_path, monkeypatch):
    api = OddApi(refuse_registration=True)
    lambda_session = started_session(api, tmp_path, monkeypatch)
    try:
        lambda_session.init_failed(KeyError("x"))
        with open(lambda_session.path) as source:
            messages = [error["message"] for error in json.load(source)["errors"]]
        assert "registering the Lambda extension: RuntimeError: status 403: registration is closed" in messages
        assert "init failed: importing the handler module raised KeyError" in messages
    finally:
        api.go_away()


def test_a_thread_that_cannot_start_leaves_the_writes_to_each_handler_call_and_still_answers_lambda(
        tmp_path, monkeypatch):
    api = ExtensionsApi()  # sends an INVOKE event when told to, as Lambda does when an invocation starts

    def no_threads(function, arguments):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(extension._thread, "start_new_thread", no_threads)
    lambda_session = started_session(api, tmp_path, monkeypatch, COLDSPY_S3_URI="s3://profiles/lambda",
                                     COLDSPY_WRITE_INTERVAL_S="0")
    try:
        lambda_session.end_init()  # does not raise
        # Registered, so Lambda waits for the extension's request before it ends init: made without the thread.
        api.wait_for_next_call(1, timeout=5)
        for count in (1, 2):
            api.invoke()
            assert lambda_session.invoke(lambda event, context: "ok", None, None) == "ok"
            assert invocations_in(lambda_session.path) == count  # written right after the handler call
            api.wait_for_next_call(count + 1, timeout=5)  # and asked again: the freeze can come
        errors = lambda_session.agent.errors
        assert ("starting the Lambda extension's thread: RuntimeError: can't start new thread; the profile is"
                " written after each handler call") in errors, errors
        assert "COLDSPY_S3_URI: the extension's thread did not start; profiles are not uploaded" in errors, errors
    finally:
        lambda_session.agent.finish()
        api.close()


def test_with_the_extensions_thread_the_peak_is_read_after_the_response_not_in_it(tmp_path, monkeypatch):
    api = ExtensionsApi()
    lambda_session = started_session(api, tmp_path, monkeypatch, COLDSPY_WRITE_INTERVAL_S="0")
    memory = lambda_session.agent.memory
    readers = []
    read_peak = memory.peak

    def peak():
        readers.append(threading.get_ident())
        return read_peak()

    monkeypatch.setattr(memory, "peak", peak)
    try:
        lambda_session.end_init()
        api.wait_for_next_call(1, timeout=5)
        del readers[:]  # init's own peak
        for count in (1, 2):
            api.invoke()
            lambda_session.invoke(lambda event, context: bytearray(1 << 20), None, None)
            assert threading.get_ident() not in readers  # the response paid no read of /proc/self/status
            api.wait_for_next_call(count + 1, timeout=5)  # the extension's turn, the peak read first, is over
        assert len(readers) == 2, readers
        with open(lambda_session.path) as source:
            written = json.load(source)["coldStarts"][0]["invocations"]
        assert [isinstance(invocation["peakRssBytes"], int) and invocation["peakRssBytes"] > 0
                for invocation in written] == [True, True], written
    finally:
        lambda_session.agent.finish()
        api.close()


class StoppingExtension:
    """Stands in for PostResponseExtension: its thread is alive when an invocation starts and gone by its end."""

    alive = True
    deadline = None

    def invocation_finished(self):
        pass


def test_a_peak_left_to_an_extension_thread_that_stopped_meanwhile_is_read_by_the_call(tmp_path, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_RUNTIME_API", raising=False)
    monkeypatch.setenv("COLDSPY_OUTPUT_DIR", str(tmp_path))
    monkeypatch.setattr(lambda_runtime, "ACTIVE", [])
    lambda_session = lambda_runtime.LambdaSession("x.h")
    lambda_session.start()
    lambda_session.end_init()
    lambda_session._extension = stopping = StoppingExtension()

    def handler(event, context):
        stopping.alive = False  # the API went away while the handler ran
        return "ok"

    try:
        assert lambda_session.invoke(handler, None, None) == "ok"
        peak = lambda_session.agent.invocations[-1]["peakRssBytes"]
        assert isinstance(peak, int) and peak > 0, peak
    finally:
        lambda_session.agent.finish()
