"""Lambda mode with COLDSPY_S3_URI: the agent uploads each environment's profile after the response, through
the extension of coldspy.s3_upload, under the fake runtime (fake_bootstrap.py serving the Extensions API) and
against moto's S3 server on loopback; `coldspy.jar check --profile s3://...` then reads what was uploaded."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import PROFILER_DIR, REPO_DIR, WRAPPER, validate, write_app
from moto_s3 import moto_s3  # noqa: F401 -- the fixture
from test_lambda import EVENTS, HANDLER_BODY, check_lambda_profile, check_passthrough, lambda_env, only_profile, \
    run_runtime

JAR = os.path.join(REPO_DIR, "server", "target", "coldspy.jar")


@pytest.fixture(scope="module")
def bucket(moto_s3):  # noqa: F811
    moto_s3.client().create_bucket(Bucket="profiles")
    return "profiles"


def s3_lambda_env(moto_s3, root, output_dir, **extra):  # noqa: F811
    """Lambda's environment with the fake Extensions API, moto's endpoint and test credentials; the upload
    process runs the interpreter of the function (sys.executable here, which has boto3, as Lambda's has)."""
    env = lambda_env(root, output_dir, FAKE_BOOTSTRAP_EXTENSIONS_API="1", **extra)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    env.update(moto_s3.env())
    return env


def run_s3_lambda(moto_s3, tmp_path, handler_source=HANDLER_BODY, auto=False, **settings):  # noqa: F811
    """The three events of test_lambda under the fake runtime with the Extensions API and `settings`, through the
    exec wrapper or (auto) `import coldspy.auto`; returns (report, app root, output dir) after a clean exit."""
    if auto:
        handler_source = "import coldspy.auto\n" + handler_source
        settings["PYTHONPATH"] = PROFILER_DIR
    root = write_app(tmp_path / "task", dict(EVENTS, **{"handler.py": handler_source}))
    output_dir = str(tmp_path / "out")
    os.makedirs(output_dir)
    command = [sys.executable] if auto else [WRAPPER, sys.executable]
    completed, report = run_runtime(command, root, s3_lambda_env(moto_s3, root, output_dir, **settings))
    assert completed.returncode == 0, completed.stderr
    return report, root, output_dir


def uploaded(moto_s3, prefix):  # noqa: F811
    """{key: parsed profile} of the objects under `prefix`."""
    client = moto_s3.client()
    listed = client.list_objects_v2(Bucket="profiles", Prefix=prefix).get("Contents", [])
    return {o["Key"]: json.loads(client.get_object(Bucket="profiles", Key=o["Key"])["Body"].read()) for o in listed}


def environment_key(prefix, output_dir):
    """Where the environment whose profile is in `output_dir` uploads (function orders-api, no version)."""
    (name,) = [n for n in os.listdir(output_dir) if n.startswith("coldspy-orders-api-")]
    day = name[len("coldspy-orders-api-"):][:8]
    return "%s/orders-api/unversioned/%s/%s/%s/%s" % (prefix, day[:4], day[4:6], day[6:], name)


def coldspy_jar(moto_s3, cwd, *arguments):  # noqa: F811
    """`java -jar coldspy.jar ARGS` with moto's endpoint and test credentials, as a user runs it."""
    if not os.path.isfile(JAR):
        pytest.fail("%s is missing: build it with `mvn -q -B -ntp -pl server package -DskipTests` "
                    "(scripts/test-all.sh builds it before the Python tests)" % JAR)
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(moto_s3.env())
    return subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", JAR] + list(arguments), cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)


def test_round_trip_the_agent_uploads_after_each_write_and_check_reads_the_bucket(moto_s3, bucket, tmp_path):  # noqa: F811
    # Writes after invocations 1 and 2 (doubling, no minimum interval), each uploaded after its response.
    report, root, output_dir = run_s3_lambda(moto_s3, tmp_path, COLDSPY_S3_URI="s3://profiles/collected",
                                             COLDSPY_WRITE_INTERVAL_S="0")
    assert report["extensionRegistered"]
    check_passthrough(report, written=(1, 2, 2))

    objects = uploaded(moto_s3, "collected/")
    key = environment_key("collected", output_dir)
    assert list(objects) == [key]  # one object per environment, replaced by the later write
    profile = validate(objects[key])
    assert len(profile["coldStarts"][0]["invocations"]) == 2
    assert profile["errors"] == []
    check_lambda_profile(only_profile(output_dir), root)  # the last write (at exit) stays on disk only

    # What check says reading the bucket is what it says reading the uploaded object from disk.
    downloaded = tmp_path / "downloaded"
    downloaded.mkdir()
    (downloaded / os.path.basename(key)).write_text(json.dumps(profile))
    from_s3 = coldspy_jar(moto_s3, str(tmp_path), "check", "--format", "json", "--profile",
                          "s3://profiles/collected", root)
    from_disk = coldspy_jar(moto_s3, str(tmp_path), "check", "--format", "json", "--profile", str(downloaded),
                            root)
    assert from_s3.stderr == "" and from_s3.returncode in (0, 1), from_s3.stderr
    assert (from_s3.returncode, from_s3.stdout) == (from_disk.returncode, from_disk.stdout)
    (analysis,) = json.loads(from_s3.stdout)["analyses"]
    summary = analysis["summary"]
    # The uploaded write (2 invocations), not the file on disk (3).
    assert (summary["profiles"], summary["coldStarts"], summary["invocations"]) == (1, 1, 2), summary


def test_only_the_cold_invocation_s_write_is_uploaded_on_the_default_schedule(moto_s3, bucket, tmp_path):  # noqa: F811
    report, _, output_dir = run_s3_lambda(moto_s3, tmp_path, auto=True, COLDSPY_S3_URI="s3://profiles/auto/")
    check_passthrough(report)
    objects = uploaded(moto_s3, "auto/")
    assert list(objects) == [environment_key("auto", output_dir)]
    (profile,) = objects.values()
    assert [inv["outcome"] for inv in profile["coldStarts"][0]["invocations"]] == ["return"]


def test_provisioned_concurrency_uploads_init_s_write_after_the_first_invocation(moto_s3, bucket, tmp_path):  # noqa: F811
    report, _, _ = run_s3_lambda(moto_s3, tmp_path, COLDSPY_S3_URI="s3://profiles/provisioned",
                                 AWS_LAMBDA_INITIALIZATION_TYPE="provisioned-concurrency")
    check_passthrough(report, written=(0, 0, 0))
    (profile,) = uploaded(moto_s3, "provisioned/").values()
    assert profile["coldStarts"][0]["invocations"] == [] and profile["coldStarts"][0]["initUs"] > 0


def test_a_failed_upload_is_recorded_in_the_profile_and_the_function_goes_on(moto_s3, bucket, tmp_path):  # noqa: F811
    report, _, output_dir = run_s3_lambda(moto_s3, tmp_path, COLDSPY_S3_URI="s3://no-such-bucket/p")
    check_passthrough(report)
    errors = [e["message"] for e in only_profile(output_dir)["errors"]]
    assert len(errors) == 1 and errors[0].startswith("uploading to s3://no-such-bucket/p/orders-api/unversioned/")
    assert "NoSuchBucket" in errors[0]


class RecordingExtension:
    """Stands in for coldspy.extension.PostResponseExtension: counts the invocations reported finished."""

    alive = True
    deadline = None
    holds_the_next_invocation = True

    def __init__(self):
        self.finished = 0

    def invocation_finished(self):
        self.finished += 1


class RecordingUploads:
    """Stands in for coldspy.s3_upload.ChildProcessUploads: records what would be uploaded."""

    def __init__(self):
        self.uploaded = []

    def upload(self, profile_path, deadline=None):
        self.uploaded.append(profile_path)
        return None


def test_every_invocation_reports_finished_and_only_a_write_that_succeeded_is_uploaded_after_it(monkeypatch):
    from coldspy import lambda_runtime

    monkeypatch.setattr(lambda_runtime, "ACTIVE", [])
    monkeypatch.setenv("COLDSPY_WRITE_INTERVAL_S", "0")  # writes due after invocations 1, 2, 4, 8
    session = lambda_runtime.LambdaSession("handler.handler")
    session.agent.memory.close()  # the agent never starts here
    session.agent.invoke = lambda handler, event, context, name, **steps: handler(event, context)
    writes = iter([False, True, True, True])  # the first write fails (a full /tmp, say)
    monkeypatch.setattr(session, "flush", lambda: next(writes))
    session._extension = extension = RecordingExtension()
    session._uploads = uploads = RecordingUploads()

    def handler(event, context):
        if event == "raise":
            raise KeyError(event)
        return event

    uploaded_after = []
    for event in (1, 2, 3, "raise"):
        try:
            assert session.invoke(handler, event, None) == event
        except KeyError:
            assert event == "raise"
        assert uploads.uploaded == uploaded_after  # nothing written or uploaded before the response...
        session._after_response()  # ...but in the extension's thread after it
        uploaded_after = list(uploads.uploaded)
    assert extension.finished == 4
    assert uploads.uploaded == [session.path, session.path]  # after invocations 2 and 4


def test_when_no_write_succeeds_nothing_is_uploaded_and_every_freeze_comes(moto_s3, bucket, tmp_path):  # noqa: F811
    not_a_directory = tmp_path / "occupied"
    not_a_directory.write_text("a file where the output directory should be")
    report, _, _ = run_s3_lambda(moto_s3, tmp_path, COLDSPY_S3_URI="s3://profiles/unwritable",
                                 COLDSPY_OUTPUT_DIR=str(not_a_directory))
    assert report["extensionRegistered"]
    check_passthrough(report, written=(None, None, None))  # the fake runtime saw each freeze
    assert uploaded(moto_s3, "unwritable/") == {}


def test_a_bad_uri_is_recorded_and_nothing_is_uploaded(moto_s3, tmp_path):  # noqa: F811
    report, _, output_dir = run_s3_lambda(moto_s3, tmp_path, COLDSPY_S3_URI="profiles/p")
    assert report["extensionRegistered"]  # for the writes after the response
    check_passthrough(report)
    assert [e["message"] for e in only_profile(output_dir)["errors"]] == [
        "COLDSPY_S3_URI: ValueError: 'profiles/p' is not an s3://bucket/prefix URI; profiles are not uploaded"]


REPORTS_ITS_MODULES = textwrap.dedent("""
    import sys


    def handler(event, context):
        return {"uploader": "coldspy.s3_upload" in sys.modules, "boto3": "boto3" in sys.modules}
    """)


@pytest.mark.parametrize("uri, uploader", [("s3://profiles/modules", True), (None, False)])
def test_the_function_s_process_never_imports_boto3_and_without_a_uri_not_even_the_uploader(
        moto_s3, bucket, tmp_path, uri, uploader):  # noqa: F811
    report, _, _ = run_s3_lambda(moto_s3, tmp_path, REPORTS_ITS_MODULES,
                                 **({"COLDSPY_S3_URI": uri} if uri else {}))
    assert [inv["returned"] for inv in report["invocations"]] == [{"uploader": uploader, "boto3": False}] * 3
    assert report["extensionRegistered"]  # the writes after the response need it either way
    if uri:
        assert len(uploaded(moto_s3, "modules/")) == 1
