"""The Lambda-mode benchmark runs both sides on an app and reports init, first and warm invocations; the import
hook benchmark reports the cost per import of an agent that recorded every import."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import PROFILER_DIR, write_app

from coldspy.context import LAMBDA_RUNTIME_MODULES

# A handler of one cheap call, and its event.
TINY_APP = {
    "handler.py": "import colorsys\n\n\ndef handler(event, context):\n    return colorsys.rgb_to_hsv(0.1, 0.2, 0.3)\n",
    "events/a.json": {"n": 1},
}


def test_lambda_mode_benchmark_reports_both_sides(tmp_path):
    root = write_app(tmp_path / "tiny", TINY_APP)
    completed = subprocess.run(
        [sys.executable, os.path.join(PROFILER_DIR, "bench", "lambda_mode.py"), "--rounds", "2", "--warm", "3",
         "--evict-kib", "256", "--app", "%s=%s" % (os.path.join(root, "handler.py:handler"), os.path.join(root, "events"))]
        + (["--pin"] if len(os.sched_getaffinity(0)) > 1 else []),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert "2 rounds" in lines[0] and "3 warm invocations" in lines[0]
    assert "20 ms apart, 256 KiB written before each (cold caches)" in lines[0]
    if len(os.sched_getaffinity(0)) > 1:
        cpus = sorted(os.sched_getaffinity(0))
        assert "; the function on CPU %d, the API on CPU %d;" % (cpus[-1], cpus[0]) in lines[0]
    plain = next(line for line in lines if line.startswith("| tiny ("))
    agent = lines[lines.index(plain) + 1]
    # No extension without the agent; with it the profile is written after the first response.
    assert re.match(r"\| tiny \(\d+, (none|sys.monitoring)\) \| no agent \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms "
                    r"\| [\d.]+ ms \| — \| [\d.]+ ms \| — \|$", plain), plain
    # Init CPU twice: the handler's import, and the process from its start to the end of init.
    assert re.match(r"\| \| Lambda mode \| [\d.]+ ms \([-+][\d.]+ %\) "
                    r"\| [\d.]+ ms \([-+][\d.]+ %; 95 % CI [-+][\d.]+ to [-+][\d.]+\) "
                    r"\| [\d.]+ ms \([-+][\d.]+ %; 95 % CI [-+][\d.]+ to [-+][\d.]+\) "
                    r"\| [\d.]+ ms \([-+][\d.]+ ms\) \| [\d.]+ ms "
                    r"\| [\d.]+ ms \([-+][\d.]+ ms; 95 % CI [-+][\d.]+ to [-+][\d.]+\) \| [\d.]+ ms \|$",
                    agent), agent
    own = next(line for line in lines if line.startswith("agent's own time at init (tiny)"))
    assert re.match(r"agent's own time at init \(tiny\): [\d.]+ ms median \(import hook and sampler, wall; its start "
                    r"is not in it\), [\d.]+ % of the no-agent init CPU$", own), own
    assert "agent note" not in completed.stdout  # the agent recorded no problem


def test_the_difference_interval_brackets_a_real_difference_and_a_null_one():
    difference_interval = _bench_module("lambda_mode").difference_interval
    plain = [100.0 + (i % 5) for i in range(15)]  # 100..104
    slower = [value * 1.10 for value in plain]  # 10 % more on every cold start
    low, high = difference_interval(plain, slower, relative=True)
    assert 0 < low < 10 < high < 20, (low, high)  # each side's spread (4 %) widens it; it excludes no change
    assert difference_interval(plain, slower, relative=True) == (low, high)  # the same from the same samples
    low, high = difference_interval(plain, list(reversed(plain)))
    assert low < 0 < high, (low, high)


def test_import_hook_benchmark_reports_the_cost_per_import(python):
    completed = subprocess.run(
        [sys.executable, os.path.join(PROFILER_DIR, "bench", "import_hook.py"), "--packages", "3", "--modules", "2",
         "--rounds", "1", "--python", python],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr  # it fails when the agent missed an import
    lines = completed.stdout.splitlines()
    version = subprocess.check_output([python, "-c", "import platform; print(platform.python_version())"],
                                      text=True).strip()
    assert lines[0].startswith("10 imports, 1 rounds, Python %s: plain " % version), lines[0]
    assert re.match(r"10 imports, 1 rounds, Python [\d.]+: plain \d+ µs$", lines[0]), lines[0]
    assert re.match(r"hook: \d+ µs, [-+][\d.]+ µs per import$", lines[1]), lines[1]
    assert re.match(r"hook\+sampler: \d+ µs, [-+][\d.]+ µs per import$", lines[2]), lines[2]


def test_idle_invocation_benchmark_reports_both_sides_and_their_difference():
    completed = subprocess.run(
        [sys.executable, os.path.join(PROFILER_DIR, "bench", "idle_invoke.py"), "--rounds", "2", "--calls", "3",
         "--gap-ms", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr  # it fails when the agent noted a problem
    assert re.match(r"2 interpreters, 3 calls per side each, 5 ms apart: through the agent [\d.]+ µs, the handler "
                    r"alone [\d.]+ µs: [-+][\d.]+ µs$", completed.stdout.strip()), completed.stdout


def test_the_between_calls_benchmark_reports_each_kind_of_work_against_none(tmp_path):
    root = write_app(tmp_path / "tiny", TINY_APP)
    completed = subprocess.run(
        [sys.executable, os.path.join(PROFILER_DIR, "bench", "between_calls.py"), "--processes", "2", "--blocks", "2",
         "--calls", "3", "--gap-ms", "1", "--cpu", str(min(os.sched_getaffinity(0))),
         "--app", "%s=%s" % (os.path.join(root, "handler.py:handler"), os.path.join(root, "events"))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    kinds = ("none", "wake", "status", "event", "agent-like")
    for index in range(2):
        assert re.match(r"process %d: %s$" % (index, ", ".join(r"%s [\d.]+ µs" % kind for kind in kinds)), lines[index])
    assert lines[2] == "tiny, 2 processes x 2 blocks x 3 calls per kind, 1 ms apart, on CPU %d:" % min(
        os.sched_getaffinity(0))
    rows = lines[5:]
    assert [row.split(" | ")[0] for row in rows] == ["| " + kind for kind in kinds]
    assert rows[0].endswith("| +0.0 µs |")  # none against itself, within each process
    assert all(re.match(r"\| [a-z-]+ \| [\d.]+ µs \| [-+][\d.]+ µs \|$", row) for row in rows), rows


def test_the_init_collections_benchmark_counts_what_the_agent_leaves_tracked_at_init(tmp_path):
    # 300 imports, each leaving the agent's record of it: the agent's side must show more tracked objects.
    files = {"handler.py": "".join("import generated_%d\n" % index for index in range(300))
                           + "\n\ndef handler(event, context):\n    return 1\n"}
    files.update({"generated_%d.py" % index: "VALUE = [%d]\n" % index for index in range(300)})
    root = write_app(tmp_path / "many", files)
    completed = subprocess.run(
        [sys.executable, os.path.join(PROFILER_DIR, "bench", "init_collections.py"), "--app",
         os.path.join(root, "handler.py")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].startswith("| app | mode | collections (young, middle, full) |")
    plain = re.match(r"\| many \| no agent \| \d+, \d+, \d+ \| [\d.]+ ms \| (\d+) \| [\d.]+ MiB \|$", lines[2])
    assert plain, lines[2]
    for line, mode in zip(lines[3:5], ("hook", "agent")):
        row = re.match(r"\| \| %s \| \d+, \d+, \d+ \([-+]\d+, [-+]\d+, [-+]\d+\) \| [\d.]+ ms "
                       r"\| (\d+) \(\+(\d+)\) \| [\d.]+ MiB \([-+][\d.]+\) \|$" % mode, line)
        assert row, line
        assert int(row.group(1)) - int(plain.group(1)) == int(row.group(2)) >= 300


def _bench_module(name):
    sys.path.insert(0, os.path.join(PROFILER_DIR, "bench"))
    try:
        return __import__(name)
    finally:
        sys.path.remove(os.path.join(PROFILER_DIR, "bench"))


def _drive(tmp_path, exit_at, invocations, handler_text="def handler(event, context):\n    return 1\n", pin=None):
    """Runs lambda_driver.py in Lambda mode (the agent from this checkout) on an app of one handler module;
    returns its result and the profiles the agent wrote."""
    root = write_app(tmp_path / "app", {"handler.py": handler_text, "event.json": {"n": 1}})
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"runtimeModules": LAMBDA_RUNTIME_MODULES, "events": [os.path.join(root, "event.json")],
                                "invocations": invocations, "gapMs": 0, "exit": exit_at, "pin": pin}))
    profiles = tmp_path / "profiles"
    env = dict(os.environ, LAMBDA_TASK_ROOT=root, AWS_LAMBDA_FUNCTION_NAME="driver", PYTHONPATH=PROFILER_DIR,
               _HANDLER="coldspy.lambda_entry.handler", COLDSPY_ORIGINAL_HANDLER="handler.handler",
               COLDSPY_OUTPUT_DIR=str(profiles), COLDSPY_WRITE_INTERVAL_S="86400")
    completed = subprocess.run([sys.executable, os.path.join(PROFILER_DIR, "bench", "lambda_driver.py"), str(spec),
                                str(tmp_path / "result.json")], env=env, cwd=root, check=True, timeout=120,
                               stdout=subprocess.PIPE, text=True)
    result = dict(json.loads((tmp_path / "result.json").read_text()), stdout=completed.stdout)
    return result, sorted(os.listdir(profiles)) if profiles.exists() else []


def test_the_driver_ends_after_init_without_the_agents_exit_write(tmp_path):
    result, written = _drive(tmp_path, "after-init", 3)
    assert result["initCpuUs"] > 0 and result["invocationWallUs"] == [] and result["extension"] is True
    assert written == []  # no invocation ran, and the final write at interpreter exit was skipped


def test_the_driver_loads_what_the_lambda_runtime_has_loaded_before_the_handler(tmp_path):
    # The handler reports what is loaded as it is imported: in Lambda, an app's `import logging` finds it loaded.
    result, written = _drive(tmp_path, None, 1, handler_text=(
        "import json, sys\n"
        "print(json.dumps(sorted(m for m in ('logging', 'decimal', 'traceback', 'threading')\n"
        "                        if m in sys.modules)))\n\n\n"
        "def handler(event, context):\n    return 1\n"))
    assert json.loads(result["stdout"].splitlines()[0]) == [
        "decimal", "logging", "threading", "traceback"]
    # Lambda's init phase holds more than the handler's import: the interpreter's start, the runtime's imports, the
    # extension's registration and its first request.
    assert result["initProcessCpuUs"] > result["initCpuUs"] > 0


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pinning the two processes apart needs two CPUs")
def test_the_driver_pins_the_function_and_its_threads_to_one_cpu_and_the_api_to_another(tmp_path):
    first, second = sorted(os.sched_getaffinity(0))[:2]
    # The handler reports the CPUs of the threads it runs on and of one it starts; the agent's extension thread
    # is started by the agent, as a library's pool would be.
    result, written = _drive(tmp_path, None, 2, pin={"function": second, "api": first}, handler_text=(
        "import json, os, threading\n\n\n"
        "def handler(event, context):\n"
        "    seen = []\n"
        "    worker = threading.Thread(target=lambda: seen.append(sorted(os.sched_getaffinity(0))))\n"
        "    worker.start()\n"
        "    worker.join()\n"
        "    print(json.dumps([sorted(os.sched_getaffinity(0))] + seen), flush=True)\n"))
    assert [json.loads(line) for line in result["stdout"].splitlines()] == [[[second], [second]]] * 2
    assert result["cpus"] == {"function": [second], "api": [first]}
    assert result["extension"] is True and len(written) == 1


def test_the_driver_ends_hard_after_its_invocations(tmp_path):
    result, written = _drive(tmp_path, "hard", 3)
    assert len(result["invocationWallUs"]) == 3 and len(result["postResponseWallUs"]) == 3
    # The write after the first (cold) invocation only: none due later, and no final write at exit.
    assert len(written) == 1
    profile = json.loads((tmp_path / "profiles" / written[0]).read_text())
    assert len(profile["coldStarts"][0]["invocations"]) == 1


def test_the_instruction_benchmark_reports_differences_per_part():
    report = _bench_module("instructions").report
    figures = {"plain empty": 100_000_000, "agent empty": 105_000_000, "agent modules": 3_500_000,
               "_socket": 1_400_000,
               # 99 generated modules against 33: 66 imports apart
               "plain imports": 130_000_000, "agent imports": 141_000_000,
               "plain imports third": 110_200_000, "agent imports third": 117_900_000,
               # (main thread, other threads) of 1 + W and 1 + 2W invocations, W = 10
               "plain warm short": (200_000_000, 0), "plain warm long": (206_000_000, 0),
               "agent warm short": (210_000_000, 3_000_000), "agent warm long": (216_400_000, 3_900_000),
               "plain app a/handler.py:handler": 700_000_000, "agent app a/handler.py:handler": 715_500_000}
    assert report(figures, 99, 10, ["a/handler.py:handler"]) == [
        "init of an empty handler: no agent 100,000,000, Lambda mode 105,000,000: +5.00 M instructions",
        "  of which importing the agent's modules +3.50 M, _socket +1.40 M",
        # ((141 - 130) - (117.9 - 110.2)) M over 66 imports: what is paid once cancels; no agent (130 - 110.2) M
        "per import (99 against 33 generated modules): +50.0 k instructions (no agent: 300.0 k per import)",
        "per warm invocation (10): main thread no agent 600.0 k, Lambda mode 640.0 k: +40.0 k instructions; "
        "the extension's thread +90.0 k",
        "init of a/handler.py:handler: no agent 700,000,000, Lambda mode 715,500,000: +15.50 M instructions",
    ]


def test_the_instruction_benchmark_stops_where_the_agent_did_not_run(tmp_path):
    check_agent_ran = _bench_module("instructions").check_agent_ran
    check_agent_ran("app.py:handler", "", True, str(tmp_path / "none"), 0)  # init only: nothing written yet
    with pytest.raises(SystemExit, match="the agent did not start"):
        check_agent_ran("app.py:handler", "coldspy: the agent did not start (OSError: x); the function runs"
                        " without it", True, str(tmp_path / "none"), 0)
    with pytest.raises(SystemExit, match="extension did not register"):
        check_agent_ran("app.py:handler", "", False, str(tmp_path / "none"), 0)
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    with pytest.raises(SystemExit, match="expected the profile written after the first invocation"):
        check_agent_ran("app.py:handler", "", True, str(profiles), 3)
    (profiles / "p.json").write_text(json.dumps({"errors": [{"message": "sampler: no timer"}]}))
    with pytest.raises(SystemExit, match="sampler: no timer"):
        check_agent_ran("app.py:handler", "", True, str(profiles), 3)


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_callgrind_counts_a_process_and_its_threads_apart(tmp_path):
    callgrind = _bench_module("instructions").callgrind
    quiet = callgrind(sys.executable, ["-c", "pass"], dict(os.environ), str(tmp_path), str(tmp_path))
    threaded = callgrind(sys.executable, ["-c", "import sys, threading\nt = threading.Thread(target=sum, args=("
                                                "range(100000),))\nt.start()\nt.join()\nsys.stderr.write('said\\n')"],
                         dict(os.environ), str(tmp_path), str(tmp_path))
    assert quiet[0] > 1_000_000 and quiet[1] == 0  # an interpreter's start alone is millions; no other thread
    assert threaded[1] > 100_000  # the thread's sum over 100,000 numbers, counted apart from the main thread
    assert threaded[2] == "said"  # the program's stderr, without valgrind's own lines
    assert os.listdir(tmp_path) == []  # its files are read and removed
