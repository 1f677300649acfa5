"""The agent's internal Lambda extension: a point after each response where the function's process still runs.

Lambda's Python runtime asks for the next event as soon as it has posted a response, and the environment is
frozen then; nothing in the function's process runs after the response unless an extension holds the freeze.
Lambda freezes only once every extension has asked for its next event, and sends an environment its next
request only then. So `PostResponseExtension` registers one (during init; an extension cannot register
later) whose thread waits for each invocation to finish, runs the agent's post-response work (the scheduled
profile write, the S3 upload), and only then asks for the next event: the caller already has the response,
and the next invocation cannot overlap the work. Registering an extension also makes Lambda send SIGTERM
before it shuts the environment down. Where nothing freezes between invocations (Lambda Managed Instances),
`PostResponseThread` runs the same work in a thread of the agent's own, without registering.

Standard library at import time, and nothing the interpreter has not loaded already (a raw `_socket`:
`http.client` would import ~40 modules into the profiled init). Nothing here raises: failures go to
`note_error` as one line.
"""

import _thread
import os
import time

_EXTENSION_API = "/2020-01-01/extension"


# The registration is answered at once; an API that does not answer within this must not hold init. (The
# request for the next event has no limit: Lambda answers it when the next invocation starts.)
_REGISTER_TIMEOUT_S = 2.0
# Post-response work must end before the invocation's deadline (Lambda's timeout covers it): this much earlier.
_DEADLINE_MARGIN_S = 0.25
# Without its thread the extension reads each invocation's event after the handler call, in the response's
# time: Lambda sent it when the invocation started, so it is there; an API that has not must not hold the call.
_INLINE_EVENT_TIMEOUT_S = 2.0
# A connection idle longer than this is not reused. A server that closes idle connections does so after an idle
# time of its own (seconds; Lambda's API has none): a request written as it closes would be lost, and Lambda
# would wait for it until the function's timeout. The extension's requests follow its answers within its
# post-response work, well under this unless an upload is slow.
_KEEP_IDLE_S = 1.0


class ApiConnection:
    """One HTTP/1.1 connection to Lambda's Runtime API (host:port in AWS_LAMBDA_RUNTIME_API, plain HTTP on the
    local network) for one request after another: `send`, then `read_response`, then `send` again.

    It stays open between requests (HTTP/1.1's default; the Runtime API serves it, and Lambda's own runtime
    clients keep their connection too), so the extension's request for its next event, made once per
    invocation, costs a write instead of a new connection: no connect, no close, and on the API's side no
    accept and no new serving thread, all of which ran on the function's CPUs between two invocations. A new
    connection is made when there is none, when the API said it would close this one (`Connection: close`, an
    HTTP/1.0 answer, a body without a length), when it has been idle for longer than _KEEP_IDLE_S, when the
    API has closed it or sent more than was asked (checked before each request), and after any error, which
    closes it. A request that cannot be written to a kept connection is written once more to a new one."""

    def __init__(self):
        self._socket = None
        self._buffer = b""  # read from the socket and not yet consumed
        self._answered = 0.0  # time.monotonic() when the last answer was read whole
        self._address = None  # (host, port) of AWS_LAMBDA_RUNTIME_API, read at the first request

    def send(self, method, path, headers=(), body=b"", timeout=None):
        """Sends one request; its answer is read with read_response, within `timeout` seconds for each step
        (or without limit)."""
        import _socket

        if self._socket is not None and (self._buffer or time.monotonic() - self._answered > _KEEP_IDLE_S
                                         or self._closed_by_the_api(_socket)):
            self.close()
        if self._address is None:
            host, _, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rpartition(":")
            self._address = (host, int(port))
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % self._address, "Content-Length: %d" % len(body)]
        lines += ["%s: %s" % header for header in headers]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        if self._socket is not None:
            try:
                self._socket.settimeout(timeout)
                self._socket.sendall(request)
                return
            except OSError:
                self.close()  # closed by the API after the check: the request was not taken, so make it anew
        try:
            self._socket = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
            self._socket.settimeout(timeout)
            self._socket.connect(self._address)
            self._socket.sendall(request)
        except BaseException:
            self.close()
            raise

    def _closed_by_the_api(self, _socket):
        """Whether the API has closed the kept connection (or sent something unasked): a peek that does not
        wait. A request written to a closed connection would be lost, and Lambda would wait for it."""
        try:
            if self._socket.gettimeout() is not None:
                self._socket.settimeout(None)  # else the socket would wait (its timeout) for something to read
            self._socket.recv(1, _socket.MSG_PEEK | _socket.MSG_DONTWAIT)  # b"" (closed) or bytes nobody asked
        except BlockingIOError:
            return False  # open, nothing to read: as it should be between requests
        except OSError:
            pass
        return True

    def read_response(self, timeout=None):
        """The answer to the request sent -> (status, headers as a lower-case dict, body), within `timeout`
        seconds for each read (or the send's limit). Closes the connection when the API will not keep it, and
        on any error."""
        try:
            if timeout is not None:
                self._socket.settimeout(timeout)
            head = self._read_until(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            status = status_line.split()[1:2]
            if not status_line.startswith("HTTP/") or not status or not status[0].isdigit():
                raise ValueError("not an HTTP answer: %r" % status_line[:80])
            found = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                found[name.strip().lower()] = value.strip()
            keep = status_line.startswith("HTTP/1.1") \
                and found.get("connection", "").lower() != "close"
            if found.get("transfer-encoding", "").lower() == "chunked":
                payload = self._read_chunked()
            elif "content-length" in found:
                length = int(found["content-length"])
                if length < 0:
                    raise ValueError("a negative Content-Length: %d" % length)
                payload = self._read_exactly(length)
            else:  # the body ends with the connection
                payload, keep = self._read_to_the_end(), False
            if keep:
                self._answered = time.monotonic()
            else:
                self.close()
            return int(status[0]), found, payload
        except BaseException:
            self.close()
            raise

    def close(self):
        if self._socket is not None:
            self._socket.close()
        self._socket, self._buffer = None, b""

    def _receive(self, end_expected=False):
        """Reads what has come into the buffer; False at the end of the connection where `end_expected`."""
        chunk = self._socket.recv(65536)
        if not chunk:
            if end_expected:
                return False
            raise ConnectionError("the Runtime API closed the connection in the middle of an answer")
        self._buffer += chunk
        return True

    def _read_until(self, separator):
        while separator not in self._buffer:
            self._receive()
        found, _, self._buffer = self._buffer.partition(separator)
        return found

    def _read_exactly(self, size):
        while len(self._buffer) < size:
            self._receive()
        found, self._buffer = self._buffer[:size], self._buffer[size:]
        return found

    def _read_chunked(self):
        body = []
        while True:
            size = int(self._read_until(b"\r\n").split(b";")[0], 16)
            if size == 0:
                while self._read_until(b"\r\n"):  # trailer lines, then the empty line
                    pass
                return b"".join(body)
            body.append(self._read_exactly(size))
            self._read_exactly(2)

    def _read_to_the_end(self):
        while self._receive(end_expected=True):
            pass
        found, self._buffer = self._buffer, b""
        return found


class PostResponseThread:
    """Runs `after_invocation()` after each invocation's response in a thread of the agent's own, where nothing
    freezes the process between invocations and no extension is needed to keep it running: Lambda Managed
    Instances, whose Python runtime serves invocations in worker processes that each take one after another,
    and where extensions may register for SHUTDOWN only (no INVOKE event says when an invocation has ended).

    The same calls as PostResponseExtension: `start()` during init, `serve()` once init has ended, and
    `invocation_finished()` after every invocation. No freeze holds the next invocation back until the work is
    done: the caller keeps the two apart with a lock (an invocation that starts during a write waits for it), and
    a wake-up that comes while the work still runs is merged with the one being served (the work is the
    scheduled write, which looks at the count of invocations itself)."""

    registered = True  # nothing to register with
    # Whether the next invocation waits for the work after the previous response (Lambda freezes the environment
    # until the extension asks for its next event): only then may the invocation's last steps wait for it too.
    holds_the_next_invocation = False

    def __init__(self, after_invocation, note_error, on_finished=None, on_start=None):
        # on_finished runs first when an invocation has finished (before the extension reads its event, whose
        # buffers could add to the process's memory): the agent reads the invocation's peak RSS there.
        self._on_finished = on_finished
        # on_start runs once in the thread, when it has started (the extension: once it has asked for its first
        # event, which ends Lambda's init): the agent starts its SIGTERM watch there.
        self._on_start = on_start
        self._after_invocation = after_invocation
        self._note_error = note_error
        self._wake = _thread.allocate_lock()  # released by the agent when an invocation finishes
        self._wake.acquire()
        # False once the thread has stopped: the agent then writes after each handler call.
        self.alive = False
        # When the current invocation's post-response work must be done (time.monotonic()); None when unknown.
        self.deadline = None

    def start(self):
        return True

    def serve(self):
        """Starts the thread; False (error noted) when it cannot start. Once."""
        return self.alive or self._start_thread()

    def _start_thread(self):
        self.alive = True
        try:
            _thread.start_new_thread(self._serve, ())
        except Exception as exc:  # the process's thread limit, say: the agent writes after each call instead
            self.alive = False
            self._note_error("starting the agent's post-response thread: %s: %s; the profile is written after"
                             " each handler call" % (type(exc).__name__, exc))
            return False
        return True

    def invocation_finished(self):
        if self._wake.locked():
            self._wake.release()

    def _serve(self):
        try:
            self._serve_invocations()
        finally:
            self.alive = False

    def _started(self):
        work, self._on_start = self._on_start, None
        self._run(work)

    def _serve_invocations(self):
        self._started()
        while True:
            self._wake.acquire()
            self._run(self._on_finished)
            self._run(self._after_invocation)

    def _run(self, work):
        if work is not None:
            try:
                work()
            except Exception as exc:
                self._note_error("after the response: %s: %s" % (type(exc).__name__, exc))


class PostResponseExtension(PostResponseThread):
    """Runs `after_invocation()` after each invocation's response, before the environment may freeze.

    Call `start()` during init, `serve()` once init has ended (or failed), and `invocation_finished()` once
    after *every* invocation, in a `finally`: Lambda waits for the extension before freezing, and the extension
    waits for that call. `after_invocation` runs in the extension's thread; an exception of it is noted.

    The thread starts only at `serve()`: Lambda ends init once the runtime and every registered extension
    have asked for their next event, so asking earlier gains nothing, and a thread started while the handler
    module is still importing takes the interpreter's lock from the import to start and to send its request
    (in the benchmark, 1-2 ms of init's wall time on the fixture apps). `alive` is true from then on.

    The extension asks for its next event right after its work, but reads the answer (the INVOKE event,
    which Lambda sends as the invocation starts) only once the invocation has finished: so its thread does
    not wake up and take the interpreter's lock while the handler runs (that had cost warm invocations of
    1-2 ms up to +0.4 ms on a loaded machine).
    """

    NAME = "coldspy"
    holds_the_next_invocation = True

    def __init__(self, after_invocation, note_error, on_finished=None, on_start=None):
        super().__init__(after_invocation, note_error, on_finished, on_start)
        self._identifier = None
        # time.monotonic() when the registration was sent, until serve() reads its answer; None otherwise
        self._registration_sent = None
        # The registration, then the requests for the next event, one after another: the first of those goes on
        # the registration's connection, made during init, instead of a second connection made there.
        self._events = ApiConnection()
        self._inline = False  # without a thread: whether a request for the next event awaits its answer
        # (alive: False also once the thread has stopped because the API went away. deadline: from the
        # current invocation's INVOKE event, its deadlineMs.)

    def start(self):
        """Sends the internal extension's registration; False (error noted) when that fails. Its answer is read
        by `serve()`: the API answers at once, and the handler module imports meanwhile instead of waiting for
        the round trip to another process (0.5 ms of wall time in the benchmark)."""
        import json  # the Lambda runtime has imported it already

        try:
            self._events.send(
                "POST", _EXTENSION_API + "/register", [("Lambda-Extension-Name", self.NAME)],
                json.dumps({"events": ["INVOKE"]}).encode(), timeout=_REGISTER_TIMEOUT_S)
        except Exception as exc:
            self._note_error("registering the Lambda extension: %s: %s" % (type(exc).__name__, exc))
            return False
        self._registration_sent = time.monotonic()
        return True

    @property
    def registered(self):
        """Whether Lambda accepted the registration (known once serve() has read its answer)."""
        return self._identifier is not None

    def serve(self):
        """Reads the registration's answer and starts the thread that asks for each next event and runs the
        work after each response; False (error noted) when the registration failed. Once."""
        if self._registration_sent is None:
            return self.alive
        sent, self._registration_sent = self._registration_sent, None
        try:
            status, headers, body = self._events.read_response()
            if status != 200 or "lambda-extension-identifier" not in headers:
                raise RuntimeError("status %d: %s" % (status, body[:200].decode("utf-8", "replace")))
            self._identifier = headers["lambda-extension-identifier"]
        except Exception as exc:
            self._note_error("registering the Lambda extension: %s: %s" % (type(exc).__name__, exc))
            return False
        if time.monotonic() - sent > _KEEP_IDLE_S:
            # Answered as init began, read only now: on the API's side the connection has been idle all along,
            # longer than a server that closes idle connections may keep it. The first request for an event
            # goes on a new one (a request written as the API closes the connection would be lost, and init
            # would wait for it until its timeout).
            self._events.close()
        if not self._start_thread():
            # Registered all the same: Lambda waits for this extension's requests before it ends init and
            # before each freeze, so the calling thread makes them (invocation_finished), without the work.
            self._ask_inline()
            return False
        return True

    def invocation_finished(self):
        """The handler returned (or raised). Without the thread: takes this invocation's event and asks for
        the next one right here, so that Lambda never waits for the extension."""
        if self._inline:
            self._inline = False
            try:
                # The INVOKE event, sent when the invocation started.
                self._events.read_response(timeout=_INLINE_EVENT_TIMEOUT_S)
            except Exception as exc:
                self._note_error("reading the Lambda extension's event: %s: %s" % (type(exc).__name__, exc))
            self._ask_inline()
        elif self._wake.locked():
            self._wake.release()

    def _ask_inline(self):
        try:
            self._ask_for_next_event()
            self._inline = True
        except Exception as exc:
            self._note_error("the Lambda extension stopped: %s: %s" % (type(exc).__name__, exc))

    def _ask_for_next_event(self):
        """Sends the extension's request for its next event, without limit for its answer (Lambda sends it when
        the next invocation starts)."""
        self._events.send("GET", _EXTENSION_API + "/event/next", [("Lambda-Extension-Identifier", self._identifier)])

    def _serve_invocations(self):
        import json

        while True:
            try:
                self._ask_for_next_event()
            except Exception as exc:
                self._note_error("the Lambda extension stopped: %s: %s" % (type(exc).__name__, exc))
                return
            self._started()
            self._wake.acquire()  # the invocation has finished: its event is waiting on the connection
            self._run(self._on_finished)
            event_type = "INVOKE"
            self.deadline = None
            try:
                status, _, body = self._events.read_response()
                if status != 200:
                    raise RuntimeError("event/next answered %d" % status)
                event = json.loads(body)
                event_type = event.get("eventType", "INVOKE")
                deadline_ms = event.get("deadlineMs")
                if isinstance(deadline_ms, (int, float)):
                    self.deadline = time.monotonic() + deadline_ms / 1000 - time.time() - _DEADLINE_MARGIN_S
            except Exception as exc:
                # The invocation happened all the same: do its work and ask for the next event, or Lambda
                # would wait for this extension until the function's timeout.
                self._note_error("reading the Lambda extension's event: %s: %s" % (type(exc).__name__, exc))
            if event_type != "INVOKE":
                return  # SHUTDOWN (never sent to an internal extension): nothing follows
            self._run(self._after_invocation)
