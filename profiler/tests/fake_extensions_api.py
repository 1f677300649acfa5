"""A stand-in for the Extensions part of Lambda's Runtime API on loopback, for the S3 upload tests (in the test
process, and inside the fake runtime, fake_bootstrap.py)."""

import http.server
import json
import queue
import threading
import time


class FakeExtensionsApi:
    """The Extensions part of Lambda's Runtime API, on loopback: registration, then one event per `invoke()`
    to the extension's `event/next`, which blocks until then. `next_calls` counts the extension's requests
    for its next event: Lambda freezes the environment only once the extension has asked again."""

    def __init__(self):
        self.registered = False
        self.events = queue.Queue()
        self.next_calls = 0
        self.asked_again = threading.Condition()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                assert self.path == "/2020-01-01/extension/register"
                assert self.headers["Lambda-Extension-Name"] == "coldspy-s3-upload"
                body = self.rfile.read(int(self.headers["Content-Length"]))
                assert json.loads(body) == {"events": ["INVOKE"]}
                api.registered = True
                self.send_response(200)
                self.send_header("Lambda-Extension-Identifier", "ext-1")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"functionName": "fn"}')

            def do_GET(self):
                assert self.path == "/2020-01-01/extension/event/next"
                assert self.headers["Lambda-Extension-Identifier"] == "ext-1"
                with api.asked_again:
                    api.next_calls += 1
                    api.asked_again.notify_all()
                event = api.events.get()
                self.send_response(200)
                self.send_header("Content-Length", str(len(event)))
                self.end_headers()
                self.wfile.write(event)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = "127.0.0.1:%d" % self.server.server_address[1]

    def invoke(self):
        deadline_ms = int((time.time() + 120) * 1000)
        self.events.put(json.dumps({"eventType": "INVOKE", "deadlineMs": deadline_ms,
                                    "requestId": "r"}).encode())

    def wait_for_next_call(self, count):
        with self.asked_again:
            assert self.asked_again.wait_for(lambda: self.next_calls >= count, timeout=120), self.next_calls

    def close(self):
        self.server.shutdown()
        self.server.server_close()
