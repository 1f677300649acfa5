"""The agent's own work in Lambda mode counted in instructions, which the machine's load does not move.

    python3 profiler/bench/instructions.py [--python python3] [--modules 300] [--warm 30] \
        [--app path/handler.py:function ...] [--agent-dir profiler]

On a host whose timings drift by several % from run to run, a change to the agent that saves 0.5 % of an init
cannot be shown with times. Here every figure is the user-space instruction count of one process, counted by
valgrind's callgrind, through lambda_driver.py (the stand-in runtime), Lambda mode against no agent:
- **fixed**: the init of an empty handler module (up to the runtime's query for extensions); and, from
  `python -c` runs that first import what the driver has loaded, two of its parts: importing the agent's
  modules (`coldspy.lambda_runtime`, `coldspy.extension`), and `_socket`, which the extension's registration
  needs;
- **per import**: the init of a handler importing `--modules` generated modules against one importing a third
  of them (unchecked-hash bytecode, as a deployment ships them): the difference of the two differences, per
  module, so that what is paid once (the fixed part, the package's import, the first calls' warm-up) cancels;
- **per warm invocation**: environments of 1 + 2W and of 1 + W invocations (back to back, no scheduled write:
  COLDSPY_WRITE_INTERVAL_S is a day), the difference per invocation, Lambda mode minus no agent, in the main
  thread (the response's path: the agent's wrapper, the session, the extension's wake-up) and in the others
  (the extension's thread, after the response). The no-agent side takes the same driver steps as one with an
  extension (lambda_driver.py's `mirror`), so the difference is the agent's alone;
- with `--app`, the init of that app (events are not needed: none is run).
Each process ends with `os._exit` (lambda_driver.py's `exit`): no exit handler, no final write. Runs where the
agent did not start, or its extension did not register, or it noted a problem, stop the benchmark.

What the count leaves out, by design: system calls, page faults and cache misses (the kernel's side, and the
cold caches after an idle time, which is where most of the measured warm cost goes: docs/benchmarks.md), and
garbage collections: the collector is off on both sides (`gc`), as one side's extra allocations move the
collections' timing by a whole collection either way (an empty handler's init: one more with the agent, a
5-module one: as many). The sampler is armed with a 100 s interval, so its arming runs and no tick fires: under
valgrind a process runs ~50 times slower, and a CPU-clock timer would tick ~50 times as often per instruction
as it does natively. The import hook reads memory at most once per millisecond of *time*: under valgrind that is
nearly every import, more reads than natively, so the per-import figure is an upper bound. Repeat runs agree
to ~±10 k instructions per process (the extension's thread races the others), so the per-call figures hold to
~±1 k and the rest to ~0.01 M.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from import_hook import MODULE  # noqa: E402
from lambda_mode import DRIVER, LAMBDA_RUNTIME_MODULES, PROFILER_DIR, build_layer  # noqa: E402

EMPTY_HANDLER = "def handler(event, context):\n    return None\n"
# A little Python work per call, so that the handler's own instructions are not all the runtime's.
WARM_HANDLER = ("import colorsys\n\n\ndef handler(event, context):\n"
                "    return [colorsys.rgb_to_hsv(i / 100, 0.2, 0.3) for i in range(100)]\n")
# What lambda_driver.py has imported before the handler's init, for the `python -c` parts.
DRIVER_IMPORTS = "import gc, importlib, json, os, resource, sys, time\nimport " + ", ".join(LAMBDA_RUNTIME_MODULES)
AGENT_SETTINGS = {"COLDSPY_INTERVAL_MS": "100000", "COLDSPY_WRITE_INTERVAL_S": "86400"}
RUN_TIMEOUT_S = 1800


def callgrind(python, argv, env, cwd, workdir):
    """(main thread, other threads, stderr): user-space instructions of `python argv` (not of the processes it
    starts) and what it wrote to stderr."""
    out = os.path.join(workdir, "callgrind.out")
    completed = subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes",
                                "--callgrind-out-file=" + out, python] + argv,
                               env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               timeout=RUN_TIMEOUT_S)
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
    # valgrind's own lines start with ==pid==; the rest is the program's
    program_stderr = "\n".join(line for line in completed.stderr.splitlines() if not line.startswith("=="))
    return main, sum(counts.values()), program_stderr


def write_app(root, handler, modules=0):
    os.makedirs(os.path.join(root, "generated"))
    with open(os.path.join(root, "generated", "__init__.py"), "w"):
        pass
    for index in range(modules):
        with open(os.path.join(root, "generated", "m%d.py" % index), "w") as out:
            out.write(MODULE.format(index=index))
    with open(os.path.join(root, "handler.py"), "w") as out:
        out.write("".join("import generated.m%d\n" % index for index in range(modules)) + handler)


class Environments:
    """Runs lambda_driver.py under callgrind on one app, either side."""

    def __init__(self, python, layer, workdir):
        self.python = python
        self.layer = layer
        self.workdir = workdir
        self.event = os.path.join(workdir, "event.json")
        with open(self.event, "w") as out:
            json.dump({"n": 1}, out)

    def count(self, handler_text, with_agent, invocations=0, exit="after-init"):
        """(main thread, other threads) of one environment of `handler_text` (path/handler.py:function)."""
        path, _, function = handler_text.rpartition(":")
        app = os.path.dirname(os.path.abspath(path))
        module = os.path.basename(path)[:-len(".py")]
        spec = os.path.join(self.workdir, "spec.json")
        with open(spec, "w") as out:
            json.dump({"runtimeModules": LAMBDA_RUNTIME_MODULES, "events": [self.event], "invocations": invocations,
                       "gapMs": 0, "exit": exit, "mirror": True, "gc": False}, out)
        profiles = os.path.join(self.workdir, "profiles")
        shutil.rmtree(profiles, ignore_errors=True)
        env = dict(os.environ, LAMBDA_TASK_ROOT=app, AWS_LAMBDA_FUNCTION_NAME="instructions",
                   AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1024", PYTHONPATH=self.layer, PYTHONHASHSEED="0")
        for name in [key for key in env if key.startswith("COLDSPY_")]:
            del env[name]
        handler_setting = "%s.%s" % (module, function)
        if with_agent:
            env.update(AGENT_SETTINGS, _HANDLER="coldspy.lambda_entry.handler",
                       COLDSPY_ORIGINAL_HANDLER=handler_setting, COLDSPY_OUTPUT_DIR=profiles)
        else:
            env["_HANDLER"] = handler_setting
        result_path = os.path.join(self.workdir, "result.json")
        main, others, stderr = callgrind(self.python, [DRIVER, spec, result_path], env, app, self.workdir)
        if with_agent:
            with open(result_path) as source:
                registered = json.load(source)["extension"]
            check_agent_ran(handler_text, stderr, registered, profiles, invocations)
        return main, others

    def snippet(self, code):
        env = dict(os.environ, PYTHONPATH=self.layer, PYTHONHASHSEED="0")
        main, others, _ = callgrind(self.python, ["-c", "%s\n%s" % (DRIVER_IMPORTS, code)], env, self.workdir,
                                    self.workdir)
        return main + others


def check_agent_ran(handler_text, stderr, registered, profiles, invocations):
    """Stops the benchmark where the Lambda-mode side did not measure the agent at work: a figure of an agent that
    fell back to running the function without it would look like a saving."""
    problems = [line for line in stderr.splitlines() if line.startswith("coldspy:")]
    if not registered:
        problems.append("the agent's extension did not register")
    if invocations:
        written = os.listdir(profiles) if os.path.isdir(profiles) else []
        if len(written) != 1:
            problems.append("expected the profile written after the first invocation, found %s" % written)
        else:
            with open(os.path.join(profiles, written[0])) as source:
                problems += [error["message"] for error in json.load(source)["errors"]]
    if problems:
        raise SystemExit("%s: the agent did not run as measured: %s" % (handler_text, "; ".join(problems)))


def measure(python, layer, workdir, modules, warm, apps):
    """{name: instructions} of the figures in the module docstring."""
    handlers = {}
    for name, handler, imports in (("empty", EMPTY_HANDLER, 0), ("imports", EMPTY_HANDLER, modules),
                                   ("imports third", EMPTY_HANDLER, modules // 3), ("warm", WARM_HANDLER, 0)):
        write_app(os.path.join(workdir, name), handler, imports)
        handlers[name] = os.path.join(workdir, name, "handler.py:handler")
    subprocess.check_call([python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", workdir])
    runs = Environments(python, layer, workdir)
    figures = {}
    for with_agent, side in ((False, "plain"), (True, "agent")):
        for name in ("empty", "imports", "imports third"):
            figures["%s %s" % (side, name)] = sum(runs.count(handlers[name], with_agent))
        figures[side + " warm short"] = runs.count(handlers["warm"], with_agent, 1 + warm, "hard")
        figures[side + " warm long"] = runs.count(handlers["warm"], with_agent, 1 + 2 * warm, "hard")
        for app in apps:
            figures["%s app %s" % (side, app)] = sum(runs.count(app, with_agent))
    bare = runs.snippet("pass")
    figures["agent modules"] = runs.snippet("import coldspy.lambda_runtime, coldspy.extension") - bare
    figures["_socket"] = runs.snippet("import _socket") - bare
    return figures


def report(figures, modules, warm, apps=()):
    """The lines printed for `figures` (see measure())."""
    fixed = figures["agent empty"] - figures["plain empty"]
    third = modules // 3
    per_import = ((figures["agent imports"] - figures["plain imports"])
                  - (figures["agent imports third"] - figures["plain imports third"])) / (modules - third)
    plain_per_import = (figures["plain imports"] - figures["plain imports third"]) / (modules - third)
    # [main thread, other threads] per call; the only other thread with the agent is its extension's
    per_call = {side: [(long - short) / warm for long, short in zip(figures[side + " warm long"],
                                                                    figures[side + " warm short"])]
                for side in ("plain", "agent")}
    lines = [
        "init of an empty handler: no agent %s, Lambda mode %s: %+.2f M instructions"
        % (format(figures["plain empty"], ","), format(figures["agent empty"], ","), fixed / 1e6),
        "  of which importing the agent's modules %+.2f M, _socket %+.2f M"
        % (figures["agent modules"] / 1e6, figures["_socket"] / 1e6),
        "per import (%d against %d generated modules): %+.1f k instructions (no agent: %.1f k per import)"
        % (modules, third, per_import / 1e3, plain_per_import / 1e3),
        "per warm invocation (%d): main thread no agent %.1f k, Lambda mode %.1f k: %+.1f k instructions; "
        "the extension's thread %+.1f k" % (warm, per_call["plain"][0] / 1e3, per_call["agent"][0] / 1e3,
                                             (per_call["agent"][0] - per_call["plain"][0]) / 1e3,
                                             (per_call["agent"][1] - per_call["plain"][1]) / 1e3),
    ]
    for app in apps:
        plain, agent = figures["plain app " + app], figures["agent app " + app]
        lines.append("init of %s: no agent %s, Lambda mode %s: %+.2f M instructions"
                     % (app, format(plain, ","), format(agent, ","), (agent - plain) / 1e6))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--modules", type=int, default=300,
                        help="generated modules for the per-import figure (at least 3; against a third of them)")
    parser.add_argument("--warm", type=int, default=30, help="W: warm invocations for the per-call figure")
    parser.add_argument("--app", action="append", default=[], metavar="HANDLER",
                        help="path/handler.py:function of an app whose init to count too (repeatable)")
    parser.add_argument("--agent-dir", default=PROFILER_DIR,
                        help="the directory holding the coldspy package to measure (default: this checkout's)")
    arguments = parser.parse_args()
    if arguments.modules < 3 or arguments.warm < 1:
        parser.error("--modules must be at least 3 and --warm at least 1")
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (Debian: apt-get install valgrind)")
    versions = subprocess.run([arguments.python, "-c", "import platform; print(platform.python_version())"],
                              capture_output=True, text=True, check=True).stdout.strip()
    valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="coldspy-instructions-") as workdir:
        layer = build_layer(workdir, arguments.python, True, os.path.abspath(arguments.agent_dir))
        figures = measure(arguments.python, layer, workdir, arguments.modules, arguments.warm, arguments.app)
    print("Python %s, %s; %s; user-space instructions (callgrind), garbage collector off, one run per figure"
          % (versions, valgrind, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    for line in report(figures, arguments.modules, arguments.warm, arguments.app):
        print(line)


if __name__ == "__main__":
    main()
