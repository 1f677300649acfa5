"""The Lambda-mode benchmark runs both sides on an app and reports init, first and warm invocations; the import
hook benchmark reports the cost per import of an agent that recorded every import."""

import os
import re
import subprocess
import sys

from conftest import PROFILER_DIR, write_app


def test_lambda_mode_benchmark_reports_both_sides(tmp_path):
    root = write_app(tmp_path / "tiny", {
        "handler.py": "import colorsys\n\n\ndef handler(event, context):\n    return colorsys.rgb_to_hsv(0.1, 0.2, 0.3)\n",
        "events/a.json": {"n": 1},
    })
    completed = subprocess.run(
        [sys.executable, os.path.join(PROFILER_DIR, "bench", "lambda_mode.py"), "--rounds", "2", "--warm", "3",
         "--app", "%s=%s" % (os.path.join(root, "handler.py:handler"), os.path.join(root, "events"))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert "2 rounds" in lines[0] and "3 warm invocations" in lines[0]
    plain = next(line for line in lines if line.startswith("| tiny ("))
    agent = lines[lines.index(plain) + 1]
    # No extension without the agent; with it the profile is written after the first response.
    assert re.match(r"\| tiny \(\d+, (none|sys.monitoring)\) \| no agent \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| — "
                    r"\| [\d.]+ ms \| — \|$", plain), plain
    assert re.match(r"\| \| Lambda mode \| [\d.]+ ms \([-+][\d.]+ %\) "
                    r"\| [\d.]+ ms \([-+][\d.]+ %; 95 % CI [-+][\d.]+ to [-+][\d.]+\) "
                    r"\| [\d.]+ ms \([-+][\d.]+ ms\) \| [\d.]+ ms "
                    r"\| [\d.]+ ms \([-+][\d.]+ ms; 95 % CI [-+][\d.]+ to [-+][\d.]+\) \| [\d.]+ ms \|$",
                    agent), agent
    own = next(line for line in lines if line.startswith("agent's own time at init (tiny)"))
    assert re.match(r"agent's own time at init \(tiny\): [\d.]+ ms median, [\d.]+ % of the no-agent init CPU$", own), own
    assert "agent note" not in completed.stdout  # the agent recorded no problem


def test_the_difference_interval_brackets_a_real_difference_and_a_null_one():
    sys.path.insert(0, os.path.join(PROFILER_DIR, "bench"))
    try:
        from lambda_mode import difference_interval
    finally:
        sys.path.remove(os.path.join(PROFILER_DIR, "bench"))
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
