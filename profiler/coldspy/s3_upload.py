"""Uploads an execution environment's profile to S3, so that thousands of Lambda environments can be collected
and read back with `coldspy check --profile s3://bucket/prefix`.

Standard library at import time: boto3 is imported inside `upload` only (Lambda's Python runtime ships it;
importing it costs hundreds of milliseconds, which must not land in the profiled init or in a response).
Nothing here raises: a failure comes back as one line for the profile's `errors` (Agent.note_error).

Object keys: `<prefix>/<function>/<version>/<YYYY>/<MM>/<DD>/<name>`, where the date is the environment's
start (UTC) and `<name>` the profile's file name (`coldspy-<function>-<UTC time>-<random>.json`, unique per
environment). An environment that uploads again overwrites its own object with the more complete profile, so
every environment is one object, and a date or version prefix narrows what `check` reads.

After the response: the agent's extension (coldspy.extension) calls `ChildProcessUploads.upload` after each
response that followed a write, while the caller already has the response.

Endpoint: boto3's own settings (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, AWS_REGION, ...); when an endpoint is
set the addressing is path-style, which S3-compatible servers on an IP address or localhost need.
"""

import _signal
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
# An upload holds the environment's freeze (and is billed): it is stopped at the invocation's deadline, or
# after this long where the deadline is unknown. boto3's own timeouts and retries could take a minute.
_UPLOAD_LIMIT_S = 20.0


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


# What the upload process runs: argv = profile path, URI, function name, version, start time.
_UPLOAD_PROGRAM = ("import sys; from coldspy import s3_upload; "
                   "r = s3_upload.upload(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])); "
                   "sys.stdout.write(r.error or '')")


def _read_until(fd, deadline):
    """What the child writes to `fd` until it closes it -> (bytes, True), or (bytes so far, False) at
    `deadline` (time.monotonic())."""
    os.set_blocking(fd, False)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return b"".join(chunks), False
            time.sleep(0.01)
            continue
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


def _wait_until(pid, deadline):
    """The exit status of child `pid`, or None if it is still running at `deadline` (time.monotonic())."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


class ChildProcessUploads:
    """Uploads one Lambda environment's profile file, each time in a child interpreter running `upload`: boto3
    (~30 MB, hundreds of modules) then never enters the function's process, its heap or its profile, and its
    CPU time is not taken from the function's threads. The agent calls `upload` after the response (from its
    extension, coldspy.extension)."""

    def __init__(self, uri, function_name=None, function_version=None, started_at=None):
        parse_uri(uri)  # a bad URI is the caller's error to record, before anything starts
        self.uri = uri
        self._function_name = function_name or os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or "lambda"
        self._function_version = (function_version or os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
                                  or "unversioned")
        self._started_at = time.time() if started_at is None else started_at
        self.uploads = 0  # objects uploaded

    def for_environment_started(self, started_at):
        """The same uploads for an environment that started at `started_at` (a restored SnapStart snapshot's)."""
        return ChildProcessUploads(self.uri, self._function_name, self._function_version, started_at)

    def upload(self, profile_path, deadline=None):
        """Uploads and waits for the child, at most until `deadline` (time.monotonic(); default
        _UPLOAD_LIMIT_S from now), when the child is killed; returns its one line of error, or None. Never
        raises."""
        limit = "the time left before the invocation's deadline"
        if deadline is None:
            deadline = time.monotonic() + _UPLOAD_LIMIT_S
            limit = "%g s" % _UPLOAD_LIMIT_S
        read_end, write_end = os.pipe()
        try:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(
                filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")])))
            pid = os.posix_spawn(sys.executable, [
                sys.executable, "-c", _UPLOAD_PROGRAM, profile_path, self.uri, self._function_name,
                self._function_version, repr(self._started_at)], env,
                file_actions=[(os.POSIX_SPAWN_DUP2, write_end, 1)], setpgroup=0)
            os.close(write_end)
            write_end = None
            output, finished = _read_until(read_end, deadline)
            status = _wait_until(pid, deadline) if finished else None
            if status is None:
                finished = False
                os.killpg(pid, _signal.SIGKILL)  # its own group: whatever it started goes too
                os.waitpid(pid, 0)
            error = output.decode("utf-8", "replace").strip()
            if not finished:
                error = "uploading to %s: not done within %s; stopped" % (self.uri, limit)
            elif not error and status != 0:
                error = "uploading to %s: the upload process ended with status %d" % (self.uri, status)
        except Exception as exc:
            error = "uploading to %s: starting the upload process: %s: %s" % (self.uri, type(exc).__name__, exc)
        finally:
            for fd in (read_end, write_end):
                if fd is not None:
                    os.close(fd)
        if error:
            return error
        self.uploads += 1
        return None
