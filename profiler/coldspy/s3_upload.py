"""Uploads an execution environment's profile to S3, so that thousands of Lambda environments can be collected
and read back with `coldspy check --profile s3://bucket/prefix`.

Standard library at import time: boto3 is imported inside `upload` only (Lambda's Python runtime ships it;
importing it costs hundreds of milliseconds, which must not land in the profiled init or in a response).
Nothing here raises: a failure comes back as one line for the profile's `errors` (Agent.note_error).

Object keys: `<prefix>/<function>/<version>/<YYYY>/<MM>/<DD>/<name>`, where the date is the environment's
start (UTC) and `<name>` the profile's file name (`coldspy-<function>-<UTC time>-<random>.json`, unique per
environment). An environment that uploads again overwrites its own object with the more complete profile, so
every environment is one object, and a date or version prefix narrows what `check` reads.

After the response: Lambda's Python runtime has no point after it has posted a response where the process
still runs (it asks for the next event at once, and the environment is frozen). An internal extension gets
one: Lambda freezes the environment only when every extension has asked for its next event, so
`PostResponseUploads` registers one (during init) whose thread waits for each invocation to finish and then
uploads (in a child interpreter), while the caller already has the response. Registering an extension also makes Lambda send
SIGTERM before it shuts the environment down.

Endpoint: boto3's own settings (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS_REGION, ...); when an endpoint is
set the addressing is path-style, which S3-compatible servers on an IP address or localhost need.
"""

import _thread
import collections
import os
import sys
import time

UploadResult = collections.namedtuple("UploadResult", "uri error")
UploadResult.__doc__ = """`uri` (s3://bucket/key) of the uploaded object, or None; `error` a one-line message, or None."""

_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CONNECT_TIMEOUT_S = 5
_READ_TIMEOUT_S = 15
_ATTEMPTS = 3


def parse_uri(uri):
    """`s3://bucket/some/prefix/` -> ("bucket", "some/prefix"); raises ValueError naming what is wrong."""
    text = (uri or "").strip()
    if not text.startswith("s3://"):
        raise ValueError("%r is not an s3://bucket/prefix URI" % uri)
    bucket, _, prefix = text[len("s3://"):].partition("/")
    if not bucket:
        raise ValueError("%r names no bucket (expected s3://bucket/prefix)" % uri)
    return bucket, prefix.strip("/")


def _key_part(text):
    """A path segment from a function name or version: `$LATEST` -> `LATEST`, no slashes or spaces."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in text.lstrip("$"))
    return safe or "_"


def object_key(prefix, function_name, function_version, started_at, name):
    """Where one environment's profile goes (see the module docstring)."""
    day = time.strftime("%Y/%m/%d", time.gmtime(started_at))
    parts = [prefix] if prefix else []
    parts += [_key_part(function_name), _key_part(function_version), day, _key_part(name)]
    return "/".join(parts)


def _client():
    import boto3
    from botocore.config import Config

    endpoint_set = bool(os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"))
    config = Config(connect_timeout=_CONNECT_TIMEOUT_S, read_timeout=_READ_TIMEOUT_S,
                    retries={"max_attempts": _ATTEMPTS, "mode": "standard"},
                    s3={"addressing_style": "path"} if endpoint_set else None)
    return boto3.client("s3", config=config)


def _read(profile):
    """The profile's bytes and its file name (None for bytes given directly)."""
    if isinstance(profile, (bytes, bytearray)):
        return bytes(profile), None
    with open(profile, "rb") as source:
        return source.read(), os.path.basename(profile)


def upload(profile, uri, function_name=None, function_version=None, started_at=None, client=None):
    """Uploads one profile; never raises.

    `profile` is a file path or the document's bytes; `uri` is `s3://bucket/prefix`. The function name and
    version default to Lambda's AWS_LAMBDA_FUNCTION_NAME and AWS_LAMBDA_FUNCTION_VERSION, `started_at` (the
    environment's start, Unix seconds) to now. Bytes get a fresh unique name; a file keeps its own, so
    uploading the same file again replaces the object. `client` is an S3 client to use instead of a new one.
    Returns an UploadResult: the object's URI, or the error as one line ("uploading to s3://...: ...").
    """
    target = uri
    try:
        bucket, prefix = parse_uri(uri)
        body, name = _read(profile)
        function_name = function_name or os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or "lambda"
        function_version = function_version or os.environ.get("AWS_LAMBDA_FUNCTION_VERSION") or "unversioned"
        started_at = time.time() if started_at is None else started_at
        if name is None:
            name = "coldspy-%s-%s-%s.json" % (_key_part(function_name),
                                              time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started_at)),
                                              os.urandom(4).hex())
        key = object_key(prefix, function_name, function_version, started_at, name)
        target = "s3://%s/%s" % (bucket, key)
        if client is None:
            client = _client()
        client.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
        return UploadResult(target, None)
    except ImportError as exc:
        return UploadResult(None, "uploading to %s: boto3 is not importable (%s); Lambda's Python runtime "
                                  "ships it, elsewhere install it" % (target, exc))
    except Exception as exc:  # fail open: the profile stays on disk and the function goes on
        message = " ".join(str(exc).split())
        return UploadResult(None, "uploading to %s: %s: %s" % (target, type(exc).__name__, message))


_EXTENSION_API = "/2020-01-01/extension"


def _runtime_api(method, path, headers=(), body=b""):
    """One request to Lambda's Runtime API (host:port in AWS_LAMBDA_RUNTIME_API, plain HTTP on the local
    network) -> (status, headers as a lower-case dict, body). A raw `_socket` (built in): `http.client` would
    import ~40 modules into the profiled init."""
    import _socket

    host, _, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rpartition(":")
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%s" % (host, port), "Connection: close",
             "Content-Length: %d" % len(body)]
    lines += ["%s: %s" % header for header in headers]
    connection = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        connection.connect((host, int(port)))
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        connection.close()
    head, _, payload = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    if found.get("transfer-encoding", "").lower() == "chunked":
        payload = _unchunk(payload)
    return int(status_line.split()[1]), found, payload


def _unchunk(payload):
    body = []
    while payload:
        size_line, _, rest = payload.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        body.append(rest[:size])
        payload = rest[size + 2:]
    return b"".join(body)


# What the upload process runs: argv = profile path, URI, function name, version, start time.
_UPLOAD_PROGRAM = ("import sys; from coldspy import s3_upload; "
                   "r = s3_upload.upload(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])); "
                   "sys.stdout.write(r.error or '')")


class PostResponseUploads:
    """Uploads a Lambda environment's profile after the response of the invocation that wrote it.

    Call `start()` during init (an extension can only register then), and `invocation_finished(path)` once
    after *every* invocation, in a `finally`: with the profile's path when the invocation wrote it, else
    None. Lambda waits for the extension before freezing, so an invocation that never reported finished
    would keep its environment until the invocation's deadline (the extension waits no longer than that).

    Each upload runs `upload` in a child interpreter: boto3 (~30 MB, hundreds of modules) then never enters
    the function's process, its heap or its profile, and its CPU time is not taken from the function's
    threads. Failures go to `note_error` (one line) and are never raised.
    """

    NAME = "coldspy-s3-upload"

    def __init__(self, uri, note_error, function_name=None, function_version=None, started_at=None):
        self.uri = uri
        self._note_error = note_error
        self._function_name = function_name or os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or "lambda"
        self._function_version = (function_version or os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
                                  or "unversioned")
        self._started_at = time.time() if started_at is None else started_at
        self._finished = 0  # invocations the agent reported finished
        self._invokes = 0  # INVOKE events the extension received
        self._wake = _thread.allocate_lock()  # released by the agent when an invocation finishes
        self._wake.acquire()
        self._pending = None  # the profile written by the last invocation, not uploaded yet
        self._identifier = None
        self.uploads = 0  # objects uploaded

    def start(self):
        """Registers the internal extension and starts its thread; False (error noted) when that fails,
        e.g. outside Lambda."""
        import json  # the Lambda runtime has imported it already

        try:
            status, headers, body = _runtime_api(
                "POST", _EXTENSION_API + "/register", [("Lambda-Extension-Name", self.NAME)],
                json.dumps({"events": ["INVOKE"]}).encode())
            if status != 200 or "lambda-extension-identifier" not in headers:
                raise RuntimeError("status %d: %s" % (status, body[:200].decode("utf-8", "replace")))
            self._identifier = headers["lambda-extension-identifier"]
        except Exception as exc:
            self._note_error("S3 upload: registering the extension: %s: %s" % (type(exc).__name__, exc))
            return False
        _thread.start_new_thread(self._serve, ())
        return True

    def invocation_finished(self, profile_path=None):
        """The handler returned (or raised); `profile_path` is the profile this invocation wrote, if any."""
        if profile_path is not None:
            self._pending = profile_path
        self._finished += 1
        if self._wake.locked():
            self._wake.release()

    def _upload(self, profile_path):
        """Uploads in a child interpreter and waits for it; its one line of error, if any, is noted."""
        read_end, write_end = os.pipe()
        try:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")])))
            pid = os.posix_spawn(sys.executable, [
                sys.executable, "-c", _UPLOAD_PROGRAM, profile_path, self.uri, self._function_name,
                self._function_version, repr(self._started_at)], env,
                file_actions=[(os.POSIX_SPAWN_DUP2, write_end, 1)])
            os.close(write_end)
            write_end = None
            with os.fdopen(read_end, "rb") as out:
                read_end = None
                error = out.read().decode("utf-8", "replace").strip()
            _, status = os.waitpid(pid, 0)
            if not error and status != 0:
                error = "uploading to %s: the upload process ended with status %d" % (self.uri, status)
        except Exception as exc:
            error = "uploading to %s: starting the upload process: %s: %s" % (self.uri, type(exc).__name__, exc)
        finally:
            for fd in (read_end, write_end):
                if fd is not None:
                    os.close(fd)
        if error:
            self._note_error(error)
        else:
            self.uploads += 1

    def _serve(self):
        import json

        headers = [("Lambda-Extension-Identifier", self._identifier)]
        while True:
            try:
                status, _, body = _runtime_api("GET", _EXTENSION_API + "/event/next", headers)
                if status != 200:
                    raise RuntimeError("event/next answered %d" % status)
                event = json.loads(body)
            except Exception as exc:
                self._note_error("S3 upload: the extension stopped: %s: %s" % (type(exc).__name__, exc))
                return
            if event.get("eventType") != "INVOKE":
                return
            self._invokes += 1
            # Wait for the handler to finish, at most until the invocation's deadline.
            deadline = event.get("deadlineMs", 0) / 1000.0
            while self._finished < self._invokes:
                if not self._wake.acquire(timeout=max(deadline - time.time(), 0.0)):
                    break
            path, self._pending = self._pending, None
            if path is not None and self._finished >= self._invokes:
                self._upload(path)
