"""A stand-in for Lambda's whole Runtime API on loopback, to run the real Python runtime client (awslambdaric,
from PyPI) against: the runtime's endpoints (`invocation/next`, `.../response`, `.../error`, `init/error`) and the
Extensions API's (`register`, `event/next`), in either of Lambda's two ways of running a function:

- **default** (one invocation at a time): an invocation is handed out only once the runtime and every registered
  extension have asked for their next event (Lambda freezes the environment until then), and each extension
  registered for INVOKE gets one event per invocation;
- **managed instances** (Lambda Managed Instances, `AWS_LAMBDA_MAX_CONCURRENCY`): the runtime's workers take
  invocations as they come, several at once; nothing freezes; extensions may register for SHUTDOWN only (a
  registration for INVOKE is refused, as an API that cannot say which worker an event belongs to would have to).

`invoke()` returns what the runtime posted for the event. `post_response_s` records, per invocation of the default
way, how long the extensions took after the response to ask for their next event (billed, not felt).
"""

import http.server
import itertools
import json
import queue
import threading
import time

from extensions_api import ApiRequestHandler

RUNTIME_PATH = "/2018-06-01/runtime"
EXTENSION_PATH = "/2020-01-01/extension"


class RuntimeApi:
    def __init__(self, managed_instances=False):
        self.managed_instances = managed_instances
        self.invocations = queue.Queue()  # (request id, body) for the runtime's next `invocation/next`
        self.results = {}  # request id -> ("response" | "error", body)
        self.init_errors = []
        self.registrations = []  # (extension name, the request's JSON body, status answered)
        self.refused = []
        self.post_response_s = []
        self.runtimes_waiting = 0  # requests for the next invocation not answered yet (one per ready worker)
        self._extensions = {}  # identifier -> queue of events for its `event/next`
        self._waiting = {}  # identifier -> asked for its next event and not answered yet
        self._changed = threading.Condition()
        self._request_ids = itertools.count(1)
        self._extension_ids = itertools.count(1)
        api = self

        class Handler(ApiRequestHandler):
            def do_GET(self):
                if self.path == RUNTIME_PATH + "/invocation/next":
                    with api._changed:
                        api.runtimes_waiting += 1
                        api._changed.notify_all()
                    request_id, body = api.invocations.get()
                    with api._changed:
                        api.runtimes_waiting -= 1
                    deadline_ms = int((time.time() + 60) * 1000)
                    self.reply(body, [
                        ("Lambda-Runtime-Aws-Request-Id", request_id),
                        ("Lambda-Runtime-Deadline-Ms", str(deadline_ms)),
                        ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:fn"),
                        ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0"),
                        ("Content-Type", "application/json")])
                elif self.path == EXTENSION_PATH + "/event/next":
                    identifier = self.headers.get("Lambda-Extension-Identifier")
                    events = api._extensions.get(identifier)
                    if events is None:
                        self.reply(b'{"errorType": "Extension.Unknown"}', status=403)
                        return
                    with api._changed:
                        api._waiting[identifier] = True
                        api._changed.notify_all()
                    body = events.get()
                    with api._changed:
                        api._waiting[identifier] = False
                    self.reply(body)
                else:
                    self.reply(status=404)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == EXTENSION_PATH + "/register":
                    wanted = json.loads(body).get("events", [])
                    name = self.headers.get("Lambda-Extension-Name")
                    if api.managed_instances and "INVOKE" in wanted:
                        api.registrations.append((name, json.loads(body), 400))
                        self.reply(b'{"errorType": "Extension.InvalidEventType", "errorMessage": '
                                   b'"INVOKE is not supported with Lambda Managed Instances"}', status=400)
                        return
                    identifier = "ext-%d" % next(api._extension_ids)
                    api.registrations.append((name, json.loads(body), 200))
                    with api._changed:
                        api._extensions[identifier] = queue.Queue()
                        api._waiting[identifier] = False
                    self.reply(b'{"functionName": "fn"}', [("Lambda-Extension-Identifier", identifier),
                                                           ("Content-Type", "application/json")])
                elif self.path == RUNTIME_PATH + "/init/error":
                    api.init_errors.append(body)
                    self.reply(b'{"status": "OK"}', status=202)
                elif self.path.startswith(RUNTIME_PATH + "/invocation/"):
                    request_id, _, kind = self.path[len(RUNTIME_PATH + "/invocation/"):].partition("/")
                    with api._changed:
                        api.results[request_id] = (kind, body)
                        api._changed.notify_all()
                    self.reply(b'{"status": "OK"}', status=202)
                else:
                    self.reply(status=404)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = "127.0.0.1:%d" % self.server.server_address[1]

    def _all_extensions_waiting(self):
        return all(self._waiting.values())

    def invoke(self, event, timeout=60):
        """Runs one invocation -> (kind, parsed body): ("response", value) or ("error", the error document). In
        the default way it first waits for the freeze (every extension asking for its next event), as Lambda
        sends the next request only then."""
        request_id = "req-%d" % next(self._request_ids)
        payload = json.dumps(event).encode()
        with self._changed:
            # Lambda's init ends, and each later invocation may start, once a runtime waits for its next event and
            # (one at a time) every registered extension has asked for its next event too: the freeze
            assert self._changed.wait_for(lambda: self.runtimes_waiting >= 1 and (
                self.managed_instances or self._all_extensions_waiting()), timeout), "no freeze: init never ended?"
            if not self.managed_instances:
                for events in self._extensions.values():
                    events.put(json.dumps({"eventType": "INVOKE", "requestId": request_id,
                                           "deadlineMs": int((time.time() + 60) * 1000)}).encode())
            self.invocations.put((request_id, payload))
            assert self._changed.wait_for(lambda: request_id in self.results, timeout), "no result for " + request_id
            kind, body = self.results[request_id]
            if not self.managed_instances:
                answered = time.monotonic()
                assert self._changed.wait_for(self._all_extensions_waiting, timeout), "an extension held the freeze"
                self.post_response_s.append(time.monotonic() - answered)
        return kind, json.loads(body)

    def wait_for_runtimes(self, count, timeout=60):
        """Waits until `count` runtime workers are waiting for an invocation (their init is over)."""
        with self._changed:
            assert self._changed.wait_for(lambda: self.runtimes_waiting >= count, timeout), self.runtimes_waiting

    def shut_down(self):
        """Sends SHUTDOWN to every registered extension (Lambda then signals the runtime's process)."""
        for events in self._extensions.values():
            events.put(json.dumps({"eventType": "SHUTDOWN", "shutdownReason": "spindown",
                                   "deadlineMs": int((time.time() + 2) * 1000)}).encode())

    def close(self):
        self.server.shutdown()
        self.server.server_close()
