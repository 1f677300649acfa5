"""The agent's own work in Lambda mode counted in instructions, which the machine's load does not move.

    python3 profiler/bench/instructions.py [--python python3] [--modules 300] [--warm 10] [--agent-dir profiler]

On a host whose timings drift by several % from run to run, a change to the agent that saves 0.5 % of an init
cannot be shown with times. Here every figure is the user-space instruction count of one process, counted by
valgrind's callgrind with PYTHONHASHSEED=0 (the same to ~0.001 % from run to run), through lambda_driver.py
(the stand-in runtime), Lambda mode against no agent:
- **fixed**: the init of an empty handler module; and, from `python -c` runs that first import what the driver
  has loaded, two of its parts: importing the agent's modules (`coldspy.lambda_runtime`, `coldspy.extension`),
  and `_socket`, which the extension's registration needs;
- **per import**: the init of a handler importing `--modules` generated modules (unchecked-hash bytecode, as a
  deployment ships them), minus the fixed part, divided by the imports;
- **per warm invocation**: environments of 1 + 2W and of 1 + W invocations (back to back, no scheduled write:
  COLDSPY_WRITE_INTERVAL_S is a day), the difference divided by W, Lambda mode minus no agent: the call's
  wrapper, in the main thread (with the driver's own extra steps for an extension: its wait for the freeze,
  one more timing), and the extension's thread after the response (the runtime's round trips are on both
  sides).
Each process ends with `os._exit` (lambda_driver.py's `exit`): no exit handler, no final write.

What it leaves out, by design of the count: system calls, page faults and cache misses (the kernel's side, and
the cold caches after an idle time, which is where most of the measured warm cost goes: docs/benchmarks.md).
The sampler is armed with a 100 s interval, so its arming runs and no tick fires: under valgrind a process runs
~50 times slower, and a CPU-clock timer would tick ~50 times as often per instruction as it does natively. The
import hook reads memory at most once per millisecond of *time*: under valgrind that is more reads per import
than natively, so the per-import figure is an upper bound.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from import_hook import MODULE  # noqa: E402
from lambda_mode import DRIVER, PROFILER_DIR, build_layer  # noqa: E402

EMPTY_HANDLER = "def handler(event, context):\n    return None\n"
# A little Python work per call, so that the handler's own instructions are not all the runtime's.
WARM_HANDLER = ("import colorsys\n\n\ndef handler(event, context):\n"
                "    return [colorsys.rgb_to_hsv(i / 100, 0.2, 0.3) for i in range(100)]\n")
# What lambda_driver.py has imported before the handler's init, for the `python -c` parts.
DRIVER_IMPORTS = "import importlib, json, os, resource, sys, time"
AGENT_SETTINGS = {"PYTHONHASHSEED": "0", "COLDSPY_INTERVAL_MS": "100000", "COLDSPY_WRITE_INTERVAL_S": "86400"}


def callgrind(python, argv, env, cwd, workdir):
    """(main thread, other threads): user-space instructions of `python argv` (not of the processes it starts)."""
    out = os.path.join(workdir, "callgrind.out")
    completed = subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes",
                                "--callgrind-out-file=" + out, python] + argv,
                               env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit("%s %s failed (status %d):\n%s" % (python, " ".join(argv), completed.returncode,
                                                            completed.stderr[-2000:]))
    counts = {}
    for name in os.listdir(workdir):
        if name.startswith("callgrind.out-"):  # one file per thread: -01 is the main thread
            with open(os.path.join(workdir, name)) as source:
                counts[name] = int(re.search(r"^summary: (\d+)$", source.read(), re.MULTILINE).group(1))
            os.remove(os.path.join(workdir, name))
    if os.path.exists(out):
        os.remove(out)  # with threads apart, valgrind leaves an empty file of this name too
    main = counts.pop("callgrind.out-01")
    return main, sum(counts.values())


def write_app(root, handler, modules=0):
    os.makedirs(os.path.join(root, "generated"))
    with open(os.path.join(root, "generated", "__init__.py"), "w"):
        pass
    for index in range(modules):
        with open(os.path.join(root, "generated", "m%d.py" % index), "w") as out:
            out.write(MODULE.format(index=index))
    with open(os.path.join(root, "handler.py"), "w") as out:
        out.write("".join("import generated.m%d\n" % index for index in range(modules)) + handler)
    with open(os.path.join(root, "event.json"), "w") as out:
        json.dump({"n": 1}, out)


class Environments:
    """Runs lambda_driver.py under callgrind on one app, either side."""

    def __init__(self, python, layer, workdir):
        self.python = python
        self.layer = layer
        self.workdir = workdir

    def count(self, app, with_agent, invocations=0, exit="after-init"):
        spec = os.path.join(self.workdir, "spec.json")
        with open(spec, "w") as out:
            json.dump({"events": [os.path.join(app, "event.json")], "invocations": invocations, "gapMs": 0,
                       "exit": exit}, out)
        env = dict(os.environ, LAMBDA_TASK_ROOT=app, AWS_LAMBDA_FUNCTION_NAME="instructions",
                   AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1024", PYTHONPATH=self.layer, PYTHONHASHSEED="0")
        for name in [key for key in env if key.startswith("COLDSPY_")]:
            del env[name]
        if with_agent:
            env.update(AGENT_SETTINGS, _HANDLER="coldspy.lambda_entry.handler", COLDSPY_ORIGINAL_HANDLER="handler.handler",
                       COLDSPY_OUTPUT_DIR=os.path.join(self.workdir, "profiles"))
        else:
            env["_HANDLER"] = "handler.handler"
        return callgrind(self.python, [DRIVER, spec, os.path.join(self.workdir, "result.json")], env, app,
                         self.workdir)

    def snippet(self, code):
        env = dict(os.environ, PYTHONPATH=self.layer, PYTHONHASHSEED="0")
        return sum(callgrind(self.python, ["-c", "%s\n%s" % (DRIVER_IMPORTS, code)], env, self.workdir,
                             self.workdir))


def measure(python, layer, workdir, modules, warm):
    """{name: instructions} of the figures in the module docstring."""
    apps = {}
    for name, handler, imports in (("empty", EMPTY_HANDLER, 0), ("imports", EMPTY_HANDLER, modules),
                                   ("warm", WARM_HANDLER, 0)):
        apps[name] = os.path.join(workdir, name)
        write_app(apps[name], handler, imports)
    subprocess.check_call([python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", workdir])
    runs = Environments(python, layer, workdir)
    figures = {}
    for with_agent, side in ((False, "plain"), (True, "agent")):
        figures[side + " init"] = sum(runs.count(apps["empty"], with_agent))
        figures[side + " imports"] = sum(runs.count(apps["imports"], with_agent))
        figures[side + " warm short"] = runs.count(apps["warm"], with_agent, 1 + warm, "hard")
        figures[side + " warm long"] = runs.count(apps["warm"], with_agent, 1 + 2 * warm, "hard")
    bare = runs.snippet("pass")
    figures["agent modules"] = runs.snippet("import coldspy.lambda_runtime, coldspy.extension") - bare
    figures["_socket"] = runs.snippet("import _socket") - bare
    return figures


def report(figures, modules, warm):
    """The lines printed for `figures` (see measure())."""
    fixed = figures["agent init"] - figures["plain init"]
    per_import = (figures["agent imports"] - figures["plain imports"] - fixed) / modules
    # [main thread, other threads] per call; the only other thread with the agent is its extension's
    per_call = {side: [(long - short) / warm for long, short in zip(figures[side + " warm long"],
                                                                    figures[side + " warm short"])]
                for side in ("plain", "agent")}
    return [
        "init of an empty handler: no agent %s, Lambda mode %s: %+.2f M instructions"
        % (format(figures["plain init"], ","), format(figures["agent init"], ","), fixed / 1e6),
        "  of which importing the agent's modules %+.2f M, _socket %+.2f M"
        % (figures["agent modules"] / 1e6, figures["_socket"] / 1e6),
        "per import (%d generated modules): %+.1f k instructions (no agent: %.1f k per import)"
        % (modules, per_import / 1e3, (figures["plain imports"] - figures["plain init"]) / modules / 1e3),
        "per warm invocation (%d): main thread no agent %.1f k, Lambda mode %.1f k: %+.1f k instructions; "
        "the extension's thread %+.1f k" % (warm, per_call["plain"][0] / 1e3, per_call["agent"][0] / 1e3,
                                             (per_call["agent"][0] - per_call["plain"][0]) / 1e3,
                                             (per_call["agent"][1] - per_call["plain"][1]) / 1e3),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--modules", type=int, default=300, help="generated modules for the per-import figure")
    parser.add_argument("--warm", type=int, default=10, help="W: warm invocations for the per-call figure")
    parser.add_argument("--agent-dir", default=PROFILER_DIR,
                        help="the directory holding the coldspy package to measure (default: this checkout's)")
    arguments = parser.parse_args()
    versions = subprocess.run([arguments.python, "-c", "import platform; print(platform.python_version())"],
                              capture_output=True, text=True, check=True).stdout.strip()
    valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="coldspy-instructions-") as workdir:
        layer = build_layer(workdir, arguments.python, True, os.path.abspath(arguments.agent_dir))
        figures = measure(arguments.python, layer, workdir, arguments.modules, arguments.warm)
    print("Python %s, %s; %s; user-space instructions (callgrind), one run per figure"
          % (versions, valgrind, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    for line in report(figures, arguments.modules, arguments.warm):
        print(line)


if __name__ == "__main__":
    main()
