"""coldspy.s3_upload against moto's S3 server on loopback: objects land under the right key with the profile's
bytes, and every failure (wrong bucket, no credentials, no boto3, bad URI, missing file) comes back as one
line and is never raised."""

import os
import subprocess
import sys
import time

import pytest

from conftest import PROFILER_DIR, REPO_DIR
from extensions_api import ExtensionsApi
from moto_s3 import moto_s3  # noqa: F401 -- the fixture

from coldspy import extension, s3_upload

GOLDEN = os.path.join(REPO_DIR, "fixtures", "profiles", "rules_engine.json")
STARTED = 1796126400.0  # 2026-12-01T12:00:00Z


@pytest.fixture(scope="module")
def bucket(moto_s3):  # noqa: F811
    moto_s3.client().create_bucket(Bucket="profiles")
    return "profiles"


@pytest.fixture
def s3_env(moto_s3, monkeypatch):  # noqa: F811
    for name, value in moto_s3.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def test_a_profile_file_lands_under_function_version_date_and_its_own_name(moto_s3, bucket, s3_env):  # noqa: F811
    result = s3_upload.upload(GOLDEN, "s3://profiles/coldspy/prod/", function_name="invoice-api",
                              function_version="$LATEST", started_at=STARTED)
    key = "coldspy/prod/invoice-api/LATEST/2026/12/01/rules_engine.json"
    assert result == s3_upload.UploadResult("s3://profiles/" + key, None)
    stored = moto_s3.client().get_object(Bucket="profiles", Key=key)["Body"].read()
    with open(GOLDEN, "rb") as golden:
        assert stored == golden.read()


def test_uploading_the_same_environment_again_replaces_its_object(moto_s3, bucket, s3_env, tmp_path):  # noqa: F811
    profile = tmp_path / "coldspy-fn-20261201T120000Z-0a1b2c3d.json"
    profile.write_bytes(b'{"invocations": 1}')
    first = s3_upload.upload(str(profile), "s3://profiles/again", function_name="fn", function_version="7",
                             started_at=STARTED)
    profile.write_bytes(b'{"invocations": 2}')
    second = s3_upload.upload(str(profile), "s3://profiles/again", function_name="fn", function_version="7",
                              started_at=STARTED)
    assert first == second and first.error is None
    listed = moto_s3.client().list_objects_v2(Bucket="profiles", Prefix="again/")["Contents"]
    assert [o["Key"] for o in listed] == ["again/fn/7/2026/12/01/coldspy-fn-20261201T120000Z-0a1b2c3d.json"]
    body = moto_s3.client().get_object(Bucket="profiles", Key=listed[0]["Key"])["Body"].read()
    assert body == b'{"invocations": 2}'


def test_bytes_get_a_unique_name_from_lambda_s_environment(moto_s3, bucket, s3_env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "resize images")
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_VERSION", "12")
    results = [s3_upload.upload(b'{"n": %d}' % n, "s3://profiles", started_at=STARTED) for n in range(2)]
    assert [r.error for r in results] == [None, None]
    assert results[0].uri != results[1].uri
    for result in results:
        assert result.uri.startswith("s3://profiles/resize_images/12/2026/12/01/coldspy-resize_images-"
                                     "20261201T120000Z-")
        assert result.uri.endswith(".json")


def test_a_missing_bucket_is_reported_not_raised(bucket, s3_env):
    result = s3_upload.upload(GOLDEN, "s3://no-such-bucket/p", function_name="fn", function_version="1",
                              started_at=STARTED)
    assert result.uri is None
    assert result.error.startswith("uploading to s3://no-such-bucket/p/fn/1/2026/12/01/rules_engine.json: ")
    assert "NoSuchBucket" in result.error
    assert "\n" not in result.error


def test_a_bad_uri_or_a_missing_file_is_reported_not_raised(tmp_path):
    bad_uri = s3_upload.upload(GOLDEN, "https://bucket/prefix")
    assert bad_uri == s3_upload.UploadResult(None, "uploading to https://bucket/prefix: ValueError: "
                                                   "'https://bucket/prefix' is not an s3://bucket/prefix URI")
    no_bucket = s3_upload.upload(GOLDEN, "s3:///prefix")
    assert "names no bucket" in no_bucket.error
    missing = s3_upload.upload(str(tmp_path / "gone.json"), "s3://profiles/p")
    assert missing.uri is None and "FileNotFoundError" in missing.error and "gone.json" in missing.error


def test_without_boto3_the_error_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # what `import boto3` meets where it is not installed
    result = s3_upload.upload(GOLDEN, "s3://profiles/p", function_name="fn", function_version="1",
                              started_at=STARTED)
    assert result.uri is None
    assert result.error.startswith("uploading to s3://profiles/p/fn/1/2026/12/01/rules_engine.json: boto3 is "
                                   "not importable")


def test_without_credentials_the_error_says_so(moto_s3, bucket, tmp_path):  # noqa: F811
    # A fresh interpreter: botocore caches credentials per session, and the default chain must find none.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PYTHONPATH=PROFILER_DIR, AWS_ENDPOINT_URL_S3=moto_s3.endpoint, AWS_REGION="us-east-1",
               AWS_EC2_METADATA_DISABLED="true", AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
               AWS_CONFIG_FILE=str(tmp_path / "none"))
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", "from coldspy import s3_upload; "
                          "print(s3_upload.upload(%r, 's3://profiles/p').error)" % GOLDEN],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "NoCredentialsError: Unable to locate credentials" in out.stdout
    assert time.monotonic() - started < 60  # no long wait on an instance metadata service


@pytest.fixture
def extensions_api(monkeypatch):
    api = ExtensionsApi()
    monkeypatch.setenv("AWS_LAMBDA_RUNTIME_API", api.address)
    yield api
    api.close()


def test_the_extension_works_after_each_invocation_has_finished_and_before_the_freeze(extensions_api):
    errors = []
    runs = []
    deadlines = []

    def work():
        runs.append(extensions_api.next_calls)
        deadlines.append(after.deadline - time.monotonic())

    after = extension.PostResponseExtension(work, errors.append)
    assert after.start(), errors
    time.sleep(0.1)
    assert extensions_api.next_calls == 0  # registered during init; asks only once init has ended
    after.serve()
    extensions_api.wait_for_next_call(1)  # waiting for the first invocation
    assert extensions_api.registrations == [("coldspy", {"events": ["INVOKE"]})]

    # A fast invocation finishes before the extension has even seen its event.
    after.invocation_finished()
    extensions_api.invoke()
    extensions_api.wait_for_next_call(2)  # the freeze may come now: the work is done
    assert runs == [1]  # ran once, before the extension asked for its next event

    extensions_api.invoke()  # a slower one: the extension has its event first
    time.sleep(0.2)
    assert runs == [1]  # nothing while the handler runs
    after.invocation_finished()
    extensions_api.wait_for_next_call(3)
    assert runs == [1, 2] and errors == []
    # The INVOKE event's deadline (120 s ahead in this API) less a margin bounds the work after the response.
    assert all(115 < seconds < 120 for seconds in deadlines), deadlines


def test_work_that_raises_is_noted_and_the_extension_goes_on(extensions_api):
    errors = []
    after = extension.PostResponseExtension(lambda: {}["missing"], errors.append)
    assert after.start()
    after.serve()
    for number in (2, 3):
        extensions_api.invoke()
        after.invocation_finished()
        extensions_api.wait_for_next_call(number)
    assert errors == ["after the response: KeyError: 'missing'"] * 2  # and it went on to the second


def test_outside_lambda_the_extension_does_not_start_and_says_why(monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_RUNTIME_API", raising=False)
    errors = []
    assert not extension.PostResponseExtension(lambda: None, errors.append).start()
    assert errors == ["registering the Lambda extension: KeyError: 'AWS_LAMBDA_RUNTIME_API'"]


def test_the_child_process_uploads_and_a_later_upload_replaces_the_object(moto_s3, bucket, s3_env, tmp_path):  # noqa: F811
    uploads = s3_upload.ChildProcessUploads("s3://profiles/lambda", function_name="fn", function_version="3",
                                            started_at=STARTED)
    profile = tmp_path / "coldspy-fn-20261201T120000Z-00ff00ff.json"
    key = "lambda/fn/3/2026/12/01/" + profile.name
    profile.write_bytes(b'{"invocations": 1}')
    assert uploads.upload(str(profile)) is None
    assert moto_s3.client().get_object(Bucket="profiles", Key=key)["Body"].read() == b'{"invocations": 1}'
    profile.write_bytes(b'{"invocations": 3}')
    assert uploads.upload(str(profile)) is None
    assert moto_s3.client().get_object(Bucket="profiles", Key=key)["Body"].read() == b'{"invocations": 3}'
    assert uploads.uploads == 2


def test_uploads_for_a_restored_environment_go_under_its_own_start(moto_s3, bucket, s3_env, tmp_path):  # noqa: F811
    # A SnapStart environment restored on 2026-12-03 from a snapshot whose init ran on 2026-12-01.
    restored = s3_upload.ChildProcessUploads("s3://profiles/lambda", function_name="fn", function_version="3",
                                             started_at=STARTED).for_environment_started(STARTED + 2 * 86400)
    profile = tmp_path / "coldspy-fn-20261203T120000Z-0a0b0c0d.json"
    profile.write_bytes(b"{}")
    assert restored.upload(str(profile)) is None
    assert moto_s3.client().get_object(Bucket="profiles", Key="lambda/fn/3/2026/12/03/" + profile.name)


def test_an_upload_that_fails_in_the_child_comes_back_as_one_line(bucket, s3_env, tmp_path):
    uploads = s3_upload.ChildProcessUploads("s3://no-such-bucket", function_name="fn", function_version="3",
                                            started_at=STARTED)
    profile = tmp_path / "coldspy-fn.json"
    profile.write_bytes(b"{}")
    error = uploads.upload(str(profile))
    assert uploads.uploads == 0
    assert error.startswith("uploading to s3://no-such-bucket/fn/3/2026/12/01/coldspy-fn.json: NoSuchBucket")
    assert "\n" not in error


@pytest.mark.parametrize("name", ["coldspy.s3_upload", "coldspy.extension"])
def test_importing_the_module_imports_nothing_lambda_s_runtime_has_not_loaded_already(name):
    # Imported during the profiled init, they must not add modules of their own to it (boto3 least of all). Both
    # are imported in Lambda only, where the runtime has loaded its own modules first (from 3.14 the interpreter's
    # start no longer loads `collections`, which they bring).
    out = subprocess.run([sys.executable, "-c", "import sys; from coldspy import context; "
                          "context.load_lambda_runtime_modules(); before = set(sys.modules); import %s; "
                          "print(sorted(set(sys.modules) - before))" % name],
                         env=dict(os.environ, PYTHONPATH=PROFILER_DIR), stdout=subprocess.PIPE, text=True,
                         timeout=60)
    assert out.stdout.strip() == str([name])


def upload_with_deadline(tmp_path, seconds):
    """Uploads a profile to s3://profiles/p in the child process, with a deadline `seconds` from now ->
    (its error, the seconds it took, the uploader)."""
    uploads = s3_upload.ChildProcessUploads("s3://profiles/p", function_name="fn", function_version="1",
                                            started_at=STARTED)
    profile = tmp_path / "coldspy-fn.json"
    profile.write_bytes(b"{}")
    started = time.monotonic()
    error = uploads.upload(str(profile), deadline=started + seconds)
    return error, time.monotonic() - started, uploads


def test_an_upload_that_does_not_end_by_the_deadline_is_stopped(s3_env, tmp_path, monkeypatch):
    # An S3 endpoint that takes connections and never answers (a VPC without a route to S3 behaves alike).
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:%d" % silent.getsockname()[1])
    error, took, uploads = upload_with_deadline(tmp_path, 1.5)
    silent.close()
    assert error == ("uploading to s3://profiles/p: not done within the time left before the invocation's "
                     "deadline; stopped")
    assert 1.5 <= took < 5, took
    assert uploads.uploads == 0


@pytest.mark.parametrize("program", [
    # closes its output and goes on
    "import os, time; os.close(1); time.sleep(30)",
    # leaves a process of its own behind, holding the output, and ends
    "import subprocess, sys; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])",
], ids=["closes-its-output", "leaves-a-grandchild"])
def test_an_upload_process_that_lingers_is_stopped_with_what_it_started(tmp_path, monkeypatch, program):
    monkeypatch.setattr(s3_upload, "_UPLOAD_PROGRAM", program)
    error, took, _ = upload_with_deadline(tmp_path, 1.0)
    assert 1.0 <= took < 4
    assert error.endswith("not done within the time left before the invocation's deadline; stopped")
    time.sleep(0.2)  # a killed process leaves /proc once reaped (the grandchild by init)
    assert not processes_running("import time; time.sleep(30)"), "a process of the upload outlived it"


def processes_running(text):
    """The pids of live processes whose command line contains `text` (zombies excluded)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as source:
                command = source.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open("/proc/%s/stat" % pid) as source:
                state = source.read().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if text in command and state != "Z" and int(pid) != os.getpid():
            found.append(int(pid))
    return found
