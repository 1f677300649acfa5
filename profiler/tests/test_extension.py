"""The agent's Lambda extension keeps Lambda's protocol whatever the Extensions API answers: every invocation is
followed by a request for the next event (else Lambda would hold the environment until the function's
timeout), and once the API is gone the agent writes after each handler call instead."""

import json
import os
import socket
import struct
import threading
import time

import pytest
from conftest import started_local_session
from extensions_api import ExtensionsApi
from runtime_api import RuntimeApi

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
                # Closed after the answer, so the answer says so, as HTTP/1.1 asks of a server that closes: without
                # it the client may write its next request before the close reaches it, and that request is lost.
                connection.sendall(b"HTTP/1.1 200 OK\r\nLambda-Extension-Identifier: id\r\nConnection: close\r\n"
                                   b"Content-Length: 2\r\n\r\n{}")
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
        assert ("starting the agent's post-response thread: RuntimeError: can't start new thread; the profile is"
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
    holds_the_next_invocation = True

    def invocation_finished(self):
        pass


def test_a_peak_left_to_an_extension_thread_that_stopped_meanwhile_is_read_by_the_call(tmp_path, monkeypatch):
    lambda_session = started_local_session(tmp_path, monkeypatch, "x.h")
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


def test_with_managed_instances_nothing_registers_and_the_writes_run_after_the_response_in_a_thread(
        tmp_path, monkeypatch):
    # Lambda Managed Instances: extensions may register for SHUTDOWN only, and nothing freezes between invocations
    api = RuntimeApi(managed_instances=True)
    lambda_session = started_session(api, tmp_path, monkeypatch, COLDSPY_WRITE_INTERVAL_S="0",
                                     AWS_LAMBDA_INITIALIZATION_TYPE="lambda-managed-instances")
    snapshots = []  # (thread, whether an invocation was running)
    snapshot = lambda_session.agent.snapshot
    in_the_handler = threading.Event()

    def recorded_snapshot():
        snapshots.append((threading.get_ident(), in_the_handler.is_set()))
        return snapshot()

    monkeypatch.setattr(lambda_session.agent, "snapshot", recorded_snapshot)

    def handler(event, context):
        in_the_handler.set()
        time.sleep(0.05)  # a write due after the previous response has time to overlap this one
        in_the_handler.clear()
        return event

    try:
        lambda_session.end_init()
        assert snapshots == [(threading.get_ident(), False)]  # written at init's end: init ran ahead of requests
        assert invocations_in(lambda_session.path) == 0
        del snapshots[:]
        # The write due after the 2nd invocation (then the 4th, 8th...) comes while the 3rd may have begun
        assert [lambda_session.invoke(handler, count, None) for count in (1, 2, 3)] == [1, 2, 3]
        assert wait_for(lambda: invocations_in(lambda_session.path) >= 2)
        assert snapshots and all(writer != threading.get_ident() for writer, _ in snapshots), snapshots
        assert not any(during for _, during in snapshots), snapshots  # never while an invocation ran
        assert api.registrations == []
        assert lambda_session.agent.errors == []
        # The invocation's last steps in the call: the next one does not wait for the thread to read its peak
        assert all(isinstance(invocation["peakRssBytes"], int) for invocation in lambda_session.agent.invocations)
    finally:
        lambda_session.agent.finish()
        api.close()


@pytest.mark.parametrize("init_longer_than_a_connection_is_kept", [False, True])
def test_the_registration_and_the_requests_for_the_next_event_share_one_kept_connection(
        tmp_path, monkeypatch, init_longer_than_a_connection_is_kept):
    monkeypatch.setattr(extension, "_KEEP_IDLE_S", 0.5)
    api = ExtensionsApi()
    lambda_session = started_session(api, tmp_path, monkeypatch, COLDSPY_WRITE_INTERVAL_S="0")
    try:
        if init_longer_than_a_connection_is_kept:
            time.sleep(0.6)  # the handler module importing
        lambda_session.end_init()
        api.wait_for_next_call(1, timeout=5)
        for count in (1, 2, 3):
            api.invoke()
            lambda_session.invoke(lambda event, context: "ok", None, None)
            api.wait_for_next_call(count + 1, timeout=5)
        assert len(lambda_session.agent.invocations) == 3
        # The registration and all four requests for an event: one connect at init. Unless init outlasted what
        # a server may keep an idle connection: then the registration's is not reused.
        assert api.connections == (2 if init_longer_than_a_connection_is_kept else 1)
        assert lambda_session.agent.errors == []
    finally:
        lambda_session.agent.finish()
        api.close()


class ScriptedApi:
    """A Runtime API on loopback that answers each request with the next of `answers` (raw bytes; None: no
    answer) and keeps every connection open (serving each in a thread of its own) unless told to close it after
    an answer: `close_after` holds the answers' indexes after which it closes, `reset_after` those after which it
    resets (RST). `requests` records (connection number, request line) in order; `closed` is set after each
    close."""

    def __init__(self, answers, close_after=(), reset_after=()):
        self.answers = list(answers)
        self.close_after = set(close_after)
        self.reset_after = set(reset_after)
        self.requests = []
        self.closed = threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.address = "127.0.0.1:%d" % self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        number = 0
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve_connection, args=(connection, number), daemon=True).start()
            number += 1

    def _serve_connection(self, connection, number):
        pending = b""
        while True:
            while b"\r\n\r\n" not in pending:
                chunk = connection.recv(65536)
                if not chunk:
                    connection.close()
                    return
                pending += chunk
            head, _, pending = pending.partition(b"\r\n\r\n")
            self.requests.append((number, head.split(b"\r\n")[0].decode()))
            index = len(self.requests) - 1
            if self.answers[index] is None:
                continue  # holds the request unanswered
            connection.sendall(self.answers[index])
            if index in self.reset_after:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            if index in self.close_after | self.reset_after:
                connection.close()
                self.closed.set()
                return

    def stop(self):
        self.server.close()


def exchange(connection):
    connection.send("GET", "/2020-01-01/extension/event/next")
    return connection.read_response(timeout=5)


def connections_used(api):
    return [number for number, _ in api.requests]


KEPT = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"


@pytest.fixture
def runtime_api(monkeypatch):
    started = []

    def start(answers, **closing):
        api = ScriptedApi(answers, **closing)
        monkeypatch.setenv("AWS_LAMBDA_RUNTIME_API", api.address)
        started.append(api)
        return api

    yield start
    for api in started:
        api.stop()


def test_a_connection_is_kept_for_the_next_request_unless_the_api_says_it_closes(runtime_api):
    # The API keeps all of them open: the client alone decides, from the answers' headers.
    api = runtime_api([KEPT, KEPT, b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", KEPT])
    connection = extension.ApiConnection()
    answers = [exchange(connection) for _ in range(4)]
    assert [(status, body) for status, _, body in answers] == [(200, b"{}")] * 4
    assert connections_used(api) == [0, 0, 0, 1]


def test_a_connection_the_api_closed_without_a_word_is_not_written_to(runtime_api):
    api = runtime_api([KEPT, KEPT], close_after=[0])
    connection = extension.ApiConnection()
    exchange(connection)
    assert api.closed.wait(5)
    # A request written to it would be lost (the API reads no more), and Lambda would wait for it.
    assert exchange(connection)[2] == b"{}"
    assert connections_used(api) == [0, 1]


def test_a_request_the_closed_connection_refuses_is_made_again_on_a_new_one(runtime_api, monkeypatch):
    api = runtime_api([KEPT, KEPT], reset_after=[0])
    connection = extension.ApiConnection()
    exchange(connection)
    assert api.closed.wait(5)
    # As if the API reset the connection just after the check before the request.
    monkeypatch.setattr(extension.ApiConnection, "_closed_by_the_api", lambda self, _socket: False)
    assert exchange(connection)[2] == b"{}"
    assert connections_used(api) == [0, 1]


def test_a_connection_idle_for_longer_than_a_server_may_keep_it_is_not_reused(runtime_api, monkeypatch):
    api = runtime_api([KEPT, KEPT, KEPT])
    connection = extension.ApiConnection()
    exchange(connection)
    exchange(connection)
    monkeypatch.setattr(extension, "_KEEP_IDLE_S", 0.0)
    time.sleep(0.01)
    exchange(connection)
    assert connections_used(api) == [0, 0, 1]


def test_bytes_the_api_sent_beyond_its_answer_are_not_read_as_the_next_answer(runtime_api):
    api = runtime_api([KEPT + b"garbage", b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"])
    connection = extension.ApiConnection()
    exchange(connection)
    assert exchange(connection)[2] == b"next"
    assert connections_used(api) == [0, 1]


@pytest.mark.parametrize("answer, kept", [
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n: 1\r\n1\r\n}\r\n0\r\n"
     b"X-Trailer: t\r\n\r\n", True),
    (b"HTTP/1.0 200 OK\r\nContent-Length: 8\r\n\r\n{\"a\": 1}", False),
])
def test_chunked_and_http_1_0_answers_are_read_whole(runtime_api, answer, kept):
    api = runtime_api([answer, KEPT])  # the connection left open either way
    connection = extension.ApiConnection()
    status, _, body = exchange(connection)
    assert (status, json.loads(body)) == (200, {"a": 1})
    assert exchange(connection)[2] == b"{}"
    assert connections_used(api) == [0, 0 if kept else 1]


def test_an_answer_without_a_length_ends_with_the_connection(runtime_api):
    api = runtime_api([b"HTTP/1.1 200 OK\r\n\r\n{\"a\": 1}", KEPT], close_after=[0])
    connection = extension.ApiConnection()
    assert json.loads(exchange(connection)[2]) == {"a": 1}
    exchange(connection)
    assert connections_used(api) == [0, 1]


def test_an_answer_cut_off_raises_and_the_next_request_gets_a_new_connection(runtime_api):
    api = runtime_api([b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"eventType\": \"INV", KEPT], close_after=[0])
    connection = extension.ApiConnection()
    with pytest.raises(ConnectionError, match="closed the connection in the middle of an answer"):
        exchange(connection)
    assert exchange(connection)[2] == b"{}"
    assert connections_used(api) == [0, 1]


def test_an_answer_that_does_not_come_in_time_is_given_up(runtime_api):
    runtime_api([None])  # reads the request, never answers
    connection = extension.ApiConnection()
    connection.send("GET", "/2020-01-01/extension/event/next")
    started = time.monotonic()
    with pytest.raises(socket.timeout):  # TimeoutError from 3.10, an OSError of its own before
        connection.read_response(timeout=0.2)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("answer, error", [
    (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}", "a negative Content-Length: -1"),
    (b"garbage\r\n\r\n", "not an HTTP answer: 'garbage'"),
    (b"HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\n{}", "not an HTTP answer: 'HTTP/1.1 OK'"),
])
def test_a_malformed_answer_is_an_error_that_says_what_came_and_the_next_request_gets_a_new_connection(
        runtime_api, answer, error):
    api = runtime_api([answer, KEPT])
    connection = extension.ApiConnection()
    with pytest.raises(ValueError) as raised:
        exchange(connection)
    assert str(raised.value) == error
    assert exchange(connection)[2] == b"{}"
    assert connections_used(api) == [0, 1]
