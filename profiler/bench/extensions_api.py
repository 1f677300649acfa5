"""A stand-in for the Extensions part of Lambda's Runtime API on loopback: registration, then one event per
`invoke()` to the extension's `event/next`, which blocks until then. `next_calls` counts the extension's
requests for its next event: Lambda freezes the environment, and sends its next request, only once every
extension has asked again.

Used in the test process and inside the tests' fake runtime (profiler/tests/fake_bootstrap.py), and as a
process of its own by the benchmark's stand-in runtime (lambda_driver.py) — as Lambda's API is served outside
the function's process, whose CPU and GIL it must not share:

    python3 extensions_api.py          # prints host:port, then serves until stdin closes

That process takes the runtime's side on its stdin, one command a line, each answered with one line:
`registered` (1 or 0), `invoke` (sends the extension an INVOKE event; answers once it is written out), `wait N`
(answers once the extension has asked for its next event N times), `runtime` (answers at once: the runtime's
own request for its next event, or its posting of a response).
"""

import http.server
import json
import queue
import sys
import threading
import time

EXTENSION_PATH = "/2020-01-01/extension"


class ApiRequestHandler(http.server.BaseHTTPRequestHandler):
    """Answers as Lambda's Runtime API does (the stand-ins of this one and of tests/runtime_api.py)."""

    # A connection serves one request after another, as Lambda's API does (unless a request says
    # `Connection: close`): the extension keeps one for its requests for the next event.
    protocol_version = "HTTP/1.1"
    # As Go's servers (Lambda's API is one) do: else the body, written after the head, would wait on a
    # kept connection for the client's delayed acknowledgement of the head (40 ms).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, body=b"", headers=(), status=200):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ExtensionsApi:
    def __init__(self):
        self.registered = False
        self.registrations = []  # (Lambda-Extension-Name, the request's JSON body)
        self.events = queue.Queue()
        self.next_calls = 0
        self.connections = 0  # connections accepted
        self.asked_again = threading.Condition()
        api = self

        class Handler(ApiRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                assert self.path == EXTENSION_PATH + "/register", self.path
                api.registrations.append((self.headers["Lambda-Extension-Name"], json.loads(body)))
                api.registered = True
                self.reply(b'{"functionName": "fn"}', [("Lambda-Extension-Identifier", "ext-1"),
                                                       ("Content-Type", "application/json")])

            def do_GET(self):
                assert self.path == EXTENSION_PATH + "/event/next", self.path
                assert self.headers["Lambda-Extension-Identifier"] == "ext-1"
                with api.asked_again:
                    api.next_calls += 1
                    api.asked_again.notify_all()
                body, delivered = api.events.get()
                self.reply(body)
                delivered.set()  # written out (unbuffered); this thread now waits for the next request

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def process_request(self, request, client_address):
                api.connections += 1
                super().process_request(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = "127.0.0.1:%d" % self.server.server_address[1]

    def invoke(self, until_delivered=False):
        """Queues an INVOKE event for the extension's `event/next`. With until_delivered, returns only once
        the answer has been written out (the extension asked already): the
        benchmark's runtime starts the invocation then, so that this process's work, which in Lambda runs
        outside the function's CPUs, does not compete with the handler for the machine's 2 cores (it had
        taken the core an OpenMP worker of lightgbm's predict needed: +2 ms per warm invocation)."""
        deadline_ms = int((time.time() + 120) * 1000)
        delivered = threading.Event()
        self.events.put((json.dumps({"eventType": "INVOKE", "deadlineMs": deadline_ms,
                                     "requestId": "r"}).encode(), delivered))
        if until_delivered:
            assert delivered.wait(timeout=120), "the extension did not take its INVOKE event"

    def wait_for_next_call(self, count, timeout=120):
        """Waits until the extension has asked for its next event `count` times; asserts it did in time."""
        with self.asked_again:
            assert self.asked_again.wait_for(lambda: self.next_calls >= count, timeout=timeout), self.next_calls

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def serve_a_runtime():
    served = ExtensionsApi()
    print(served.address, flush=True)
    for command in sys.stdin:  # until the runtime that started this process closes the pipe (or ends)
        verb, _, count = command.strip().partition(" ")
        if verb == "registered":
            answer = int(served.registered)
        elif verb == "invoke":
            served.invoke(until_delivered=True)
            answer = 1
        elif verb == "runtime":  # the runtime's own round trip (its next event, or its response)
            answer = 1
        else:
            served.wait_for_next_call(int(count))
            answer = served.next_calls
        print(answer, flush=True)


if __name__ == "__main__":
    serve_a_runtime()
