"""Shared helpers: the interpreters to test on, small apps written to tmp dirs, running the CLI, the schema."""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest
from jsonschema import Draft202012Validator

PROFILER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(PROFILER_DIR)
SCHEMA_PATH = os.path.join(REPO_DIR, "docs", "profile.schema.json")
FAKE_BOOTSTRAP = os.path.join(PROFILER_DIR, "tests", "fake_bootstrap.py")
WRAPPER = os.path.join(PROFILER_DIR, "bin", "coldspy-wrapper")

if PROFILER_DIR not in sys.path:
    sys.path.insert(0, PROFILER_DIR)  # the in-process tests import coldspy as the README says: PYTHONPATH=profiler
sys.path.insert(0, os.path.join(PROFILER_DIR, "bench"))  # the stand-in for Lambda's Extensions API

# 400 module-level statements: what follows them lies past the agent's _LINE_READ_AT_ONCE_BYTES into the
# module's code, at line 401 (its trigger lines are then worked out when the record is read).
FAR_PADDING = "".join("V%d = %d\n" % (index, index) for index in range(400))

SUPPORTED_MINORS = (9, 10, 11, 12, 13, 14)


def _interpreter(minor):
    """A CPython 3.`minor`: pyenv's install on the development machine, else `python3.<minor>` on PATH (the
    interpreters a CI machine has), else this interpreter if it is that version."""
    found = sorted(glob.glob("/root/.pyenv/versions/3.%d.*/bin/python" % minor))
    if found:
        return found[-1]
    on_path = shutil.which("python3.%d" % minor)
    if on_path is not None and _runs(on_path, minor):
        return on_path
    if sys.version_info[:2] == (3, minor):
        return sys.executable
    return None


def _runs(path, minor):
    """Whether `path` starts and is CPython 3.`minor` (a pyenv shim for a version not installed fails)."""
    try:
        out = subprocess.run([path, "-c", "import sys; print(sys.version_info[1])"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == str(minor)


@pytest.fixture(autouse=True)
def signals_as_they_were():
    """A Lambda session started in the test process installs a SIGTERM handler and, between invocations, a wakeup
    fd (lambda_runtime.SigtermWake), both for the whole process: put back after each test, so that a signal a
    later test sends itself does not reach an earlier test's session (and end the test run)."""
    sigterm = signal.getsignal(signal.SIGTERM)
    yield
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, sigterm)


INTERPRETERS = [pytest.param(minor, id="py3.%d" % minor) for minor in SUPPORTED_MINORS]
_found = {}


def _found_interpreters():
    """{minor: path} of the supported versions this machine has, looked up once per test session."""
    if not _found:
        for minor in SUPPORTED_MINORS:
            _found[minor] = _interpreter(minor)
    return _found


@pytest.fixture(params=INTERPRETERS)
def python(request):
    """Each supported CPython the machine has (the test is skipped for the missing ones)."""
    found = _found_interpreters()
    path = found[request.param]
    if path is None:
        pytest.skip("no Python 3.%d on this machine (neither /root/.pyenv/versions/3.%d.* nor python3.%d on "
                    "PATH); found: %s" % (request.param, request.param, request.param,
                                          ", ".join("3.%d" % m for m, p in sorted(found.items()) if p) or "none"))
    return path


def interpreter_version(python_path):
    out = subprocess.check_output([python_path, "-c", "import sys; print(sys.version_info[1])"], text=True)
    return (3, int(out))


_validator = None


def validate(profile):
    """Fails the test with every schema violation of `profile` listed."""
    global _validator
    if _validator is None:
        with open(SCHEMA_PATH, encoding="utf-8") as source:
            _validator = Draft202012Validator(json.load(source))
    problems = ["%s: %s" % ("/".join(map(str, error.absolute_path)), error.message)
                for error in _validator.iter_errors(profile)]
    assert not problems, "profile violates docs/profile.schema.json:\n" + "\n".join(problems)
    return profile


def write_app(root, files):
    """Writes {relative path: source} (dedented) under `root`; returns root as a string."""
    for relative, source in files.items():
        path = os.path.join(str(root), relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(textwrap.dedent(source).lstrip("\n") if isinstance(source, str) else json.dumps(source))
    return str(root)


def line_number(path, text, occurrence=1):
    """The 1-based line of `path` holding `text` (the n-th such line)."""
    seen = 0
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            if text in line:
                seen += 1
                if seen == occurrence:
                    return number
    raise AssertionError("%r not found in %s" % (text, path))


def agent_env(extra=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = PROFILER_DIR + (os.pathsep + extra if extra else "")
    return env


def run_cli(args, env=None, cwd=None):
    """Runs `python3 -m coldspy ARGS` the way the README says; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "coldspy"] + list(args), env=env or agent_env(), cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)


def profile_app(root, handler="handler.py:handler", events=("events",), python=None, extra=(), env=None):
    """Profiles an app written by write_app; returns the schema-validated profile."""
    output = os.path.join(str(root), "profile.json")
    args = ["run", os.path.join(str(root), handler), "-o", output]
    for event in events:
        args += ["--event", os.path.join(str(root), event)]
    if python:
        args += ["--python", python]
    completed = run_cli(args + list(extra), env=env)
    assert completed.returncode == 0, completed.stderr
    with open(output, encoding="utf-8") as source:
        return validate(json.load(source))


def started_local_session(tmp_path, monkeypatch, handler_text="app.handler"):
    """A LambdaSession in this process without Lambda's API (its writes follow each handler call), started: its
    init under way."""
    from coldspy import lambda_runtime

    monkeypatch.delenv("AWS_LAMBDA_RUNTIME_API", raising=False)
    monkeypatch.setenv("COLDSPY_OUTPUT_DIR", str(tmp_path))
    monkeypatch.setattr(lambda_runtime, "ACTIVE", [])
    session = lambda_runtime.LambdaSession(handler_text)
    session.start()
    return session


def module(cold_start, name):
    found = [m for m in cold_start["modules"] if m["name"] == name]
    assert found, "%s not among the recorded modules %s" % (name, [m["name"] for m in cold_start["modules"]])
    return found[0]


def trigger_of(profile, cold_start, name):
    """(file path, line) of the statement that imported `name`, or None."""
    trigger = module(cold_start, name)["trigger"]
    if trigger is None:
        return None
    return profile["files"][trigger["file"]], trigger["line"]
