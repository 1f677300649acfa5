"""The command line: a summary on success; bad input gets one line naming the file and exit status 2."""

import json
import os

import pytest

from conftest import agent_env, run_cli, validate, write_app

GOOD_HANDLER = """
    import colorsys

    def handler(event, context):
        return {"remaining": context.get_remaining_time_in_millis(), "request": context.aws_request_id}
    """


@pytest.fixture
def app(tmp_path):
    return write_app(tmp_path, {"handler.py": GOOD_HANDLER, "events/a.json": {"n": 1}, "events/b.json": {"n": 2}})


def assert_one_line_error(completed, *expected):
    assert completed.returncode == 2, completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("coldspy: error: ")
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in completed.stderr


def test_run_writes_a_profile_and_prints_a_summary(app, tmp_path):
    output = tmp_path / "out" / "app.json"
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events"),
                         "--cold-starts", "3", "-o", str(output)])
    assert completed.returncode == 0, completed.stderr
    assert "3 cold starts, 9 invocations" in completed.stdout
    assert "import colorsys (handler.py:1)" in completed.stdout
    assert "wrote %s" % output in completed.stdout
    with open(output) as source:
        profile = validate(json.load(source))
    assert profile["app"] == {"handler": os.path.join(app, "handler.py:handler"), "root": app,
                              "name": os.path.basename(app)}
    assert profile["settings"]["coldStarts"] == 3
    assert profile["settings"]["clock"] == "cpu" and profile["settings"]["sampleIntervalUs"] == 1000
    assert not [name for name in os.listdir(output.parent) if name != "app.json"]  # no temp file left


def test_events_are_spread_round_robin_over_cold_starts(app, tmp_path):
    output = tmp_path / "p.json"
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events/b.json"),
                         "--event", os.path.join(app, "events/a.json"), "--cold-starts", "3", "--invocations", "1",
                         "-o", str(output)])
    assert completed.returncode == 0, completed.stderr
    with open(output) as source:
        profile = json.load(source)
    assert [[inv["event"] for inv in cs["invocations"]] for cs in profile["coldStarts"]] == [
        ["b.json"], ["a.json"], ["b.json"]]


def test_missing_handler_file(app, tmp_path):
    completed = run_cli(["run", os.path.join(app, "nope.py:handler"), "--event", os.path.join(app, "events")])
    assert_one_line_error(completed, "handler file not found", "nope.py")


def test_handler_not_callable(tmp_path):
    root = write_app(tmp_path, {"handler.py": "handler = 42\n", "events/a.json": {}})
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "-o", str(tmp_path / "p.json")])
    assert_one_line_error(completed, "handler.py", "'handler' is a int, not a function")
    assert not os.path.exists(tmp_path / "p.json")


def test_handler_function_missing(app, tmp_path):
    completed = run_cli(["run", os.path.join(app, "handler.py:lambda_handler"), "--event", os.path.join(app, "events"),
                         "-o", str(tmp_path / "p.json")])
    assert_one_line_error(completed, "handler.py", "'lambda_handler' is not defined")


def test_malformed_event_json(app):
    bad = os.path.join(app, "events", "broken.json")
    with open(bad, "w") as out:
        out.write('{"n": 1,,}')
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events")])
    assert_one_line_error(completed, bad, "malformed JSON", "line 1")


def test_missing_event_file(app):
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "nope.json")])
    assert_one_line_error(completed, "event file not found", "nope.json")


def test_handler_without_colon(app):
    completed = run_cli(["run", os.path.join(app, "handler.py"), "--event", os.path.join(app, "events")])
    assert_one_line_error(completed, "path/to/handler.py:function")


def test_missing_interpreter(app):
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events"),
                         "--python", "/no/such/python"])
    assert_one_line_error(completed, "/no/such/python")


def test_init_error_shows_the_handlers_traceback_and_fails(tmp_path):
    root = write_app(tmp_path, {"handler.py": "import os\nraise ValueError('bad config')\n", "events/a.json": {}})
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "-o", str(tmp_path / "p.json")])
    assert completed.returncode == 1
    assert "ValueError: bad config" in completed.stderr  # the user's own traceback, from the child
    assert completed.stderr.strip().splitlines()[-1] == (
        "coldspy: error: importing %s raised ValueError (traceback above)" % os.path.join(root, "handler.py"))


def test_handler_output_goes_to_the_terminal_untouched(tmp_path):
    root = write_app(tmp_path, {
        "handler.py": """
            import sys
            print("init says hi")

            def handler(event, context):
                print("handler says", event["n"])
                print("to stderr", file=sys.stderr)
            """,
        "events/a.json": {"n": 7},
    })
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "--cold-starts", "1", "--invocations", "1", "-o", str(tmp_path / "p.json")])
    assert completed.returncode == 0
    assert completed.stdout.startswith("init says hi\nhandler says 7\n")
    assert completed.stderr == "to stderr\n"


def test_progress_prints_a_line_as_each_cold_start_begins(tmp_path):
    root = write_app(tmp_path, {"handler.py": "def handler(event, context):\n    return 1\n", "events/a.json": {}})
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "--cold-starts", "2", "--invocations", "1", "--progress", "-o", str(tmp_path / "p.json")])
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.splitlines() == ["coldspy: cold start 1 of 2", "coldspy: cold start 2 of 2"]


def test_no_payloads_env_values_or_return_values_in_the_profile(tmp_path):
    secret = "s3cr3t-7f1d"
    root = write_app(tmp_path, {
        "handler.py": """
            import os

            def handler(event, context):
                return {"echo": event["token"], "env": os.environ["COLDSPY_TEST_SECRET"]}
            """,
        "events/a.json": {"token": secret},
    })
    env = dict(os.environ, COLDSPY_TEST_SECRET=secret + "-env",
               PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "--cold-starts", "2", "-o", str(tmp_path / "p.json")], env=env)
    assert completed.returncode == 0, completed.stderr
    with open(tmp_path / "p.json") as source:
        text = source.read()
    assert secret not in text


def test_a_handler_file_name_that_is_no_identifier_is_profiled(tmp_path):
    """Lambda loads `apply-ocr-to-s3-object.lambda_handler` (importlib finds the file by that name)."""
    root = write_app(tmp_path, {"apply-ocr-to-s3-object.py": GOOD_HANDLER, "events/a.json": {"n": 1}})
    output = tmp_path / "p.json"
    completed = run_cli(["run", os.path.join(root, "apply-ocr-to-s3-object.py:handler"),
                         "--event", os.path.join(root, "events"), "--cold-starts", "1", "-o", str(output)])
    assert completed.returncode == 0, completed.stderr
    with open(output) as source:
        profile = validate(json.load(source))
    names = [m["name"] for m in profile["coldStarts"][0]["modules"]]
    assert names[0] == "apply-ocr-to-s3-object" and "colorsys" in names
    assert [inv["outcome"] for inv in profile["coldStarts"][0]["invocations"]] == ["return"] * 3


def test_a_dotted_handler_file_name_is_refused(tmp_path):
    root = write_app(tmp_path, {"my.handler.py": GOOD_HANDLER, "events/a.json": {}})
    completed = run_cli(["run", os.path.join(root, "my.handler.py:handler"), "--event", os.path.join(root, "events")])
    assert_one_line_error(completed, "my.handler.py", "a dot names a package")


ENV_HANDLER = """
    import os
    import sys
    import layer_mod

    print("STAGE=%s TABLE=%s QUOTED=%s INHERITED=%s" % (os.environ.get("STAGE"), os.environ.get("TABLE"),
                                                         os.environ.get("QUOTED"), os.environ.get("COLDSPY_TEST_INHERITED")))
    print("CWD=%s" % os.getcwd())
    print("PATH0=%s LAYER=%s" % (sys.path[0], layer_mod.WHERE))

    def handler(event, context):
        return 1
    """


def test_environment_working_directory_and_path_reach_the_profiled_interpreter(tmp_path):
    root = write_app(tmp_path / "app", {"handler.py": ENV_HANDLER, "events/a.json": {}})
    layer = write_app(tmp_path / "layer" / "python", {"layer_mod.py": "WHERE = 'layer'\n"})
    workdir = tmp_path / "work"
    workdir.mkdir()
    env_file = tmp_path / "app.env"
    env_file.write_text("# settings\nexport STAGE=prod\n\nTABLE='orders'\nQUOTED=\"a b\"\n")
    env = agent_env()
    env["COLDSPY_TEST_INHERITED"] = "yes"
    completed = run_cli(["run", os.path.join(root, "handler.py:handler"), "--event", os.path.join(root, "events"),
                         "--cold-starts", "1", "--invocations", "1", "-o", str(tmp_path / "p.json"),
                         "--env-file", str(env_file), "--env", "TABLE=invoices", "--cwd", str(workdir),
                         "--pythonpath", layer], env=env)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "STAGE=prod TABLE=invoices QUOTED=a b INHERITED=yes"  # --env wins over --env-file
    assert lines[1] == "CWD=%s" % workdir
    assert lines[2] == "PATH0=%s LAYER=layer" % root  # the handler's directory stays first


def test_without_cwd_the_handler_directory_is_the_working_directory(app, tmp_path):
    write_app(app, {"handler.py": "import os\nprint('CWD=' + os.getcwd())\n\n\ndef handler(event, context):\n"
                                  "    return 1\n"})
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events"),
                         "--cold-starts", "1", "--invocations", "1", "-o", str(tmp_path / "p.json")])
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[0] == "CWD=%s" % app


@pytest.mark.parametrize("arguments, expected", [
    (["--env", "NO_EQUALS"], ["--env", "expected NAME=VALUE", "NO_EQUALS"]),
    (["--env", "1BAD=x"], ["--env", "1BAD=x"]),
    (["--env-file", "/no/such.env"], ["/no/such.env", "cannot read env file"]),
    (["--cwd", "/no/such/dir"], ["--cwd", "/no/such/dir", "not a directory"]),
    (["--pythonpath", "/no/such/layer"], ["--pythonpath", "/no/such/layer", "not a directory"]),
])
def test_bad_environment_options(app, arguments, expected):
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events")]
                        + arguments)
    assert_one_line_error(completed, *expected)


def test_a_malformed_env_file_line_is_named(app, tmp_path):
    env_file = tmp_path / "bad.env"
    env_file.write_text("GOOD=1\nthis is not an assignment\n")
    completed = run_cli(["run", os.path.join(app, "handler.py:handler"), "--event", os.path.join(app, "events"),
                         "--env-file", str(env_file)])
    assert_one_line_error(completed, "%s:2" % env_file, "expected NAME=VALUE")


def test_help_says_the_environment_is_inherited():
    completed = run_cli(["run", "--help"])
    assert completed.returncode == 0
    text = " ".join(completed.stdout.split())
    assert "inherit this command's environment variables" in text
    for option in ("--env NAME=VALUE", "--env-file PATH", "--cwd DIR", "--pythonpath DIRS"):
        assert option in text
