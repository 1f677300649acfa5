"""What the agent adds to each import: CPU per import of generated modules, agent vs none, fresh interpreters.

    python3 profiler/bench/import_hook.py [--packages 40] [--modules 9] [--rounds 21] [--python python3] \
        [--agent-dir profiler]

Generates `packages` packages of `modules` small modules each (every package's `__init__` imports its
modules with `from . import m`, a top module imports every package), compiled to unchecked-hash bytecode as a
deployment would ship them. Each round starts one fresh interpreter per mode, in turn: **plain** imports the
top module; **hook** starts an agent without sampling and without a usage signal first (import timing,
triggers, memory readings, bytecode watch); **hook + sampler** adds the 1 ms CPU-clock sampler. Reported:
the medians of each mode's CPU time (thread time) for importing the tree, and the difference per import.
`--agent-dir` measures another copy of the agent (e.g. a checkout of an older commit) the same way.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from lambda_mode import build_layer  # noqa: E402

MODULE = """import os
VALUE = {index}


def function(argument):
    return argument + VALUE


class Thing:
    def method(self):
        return VALUE
"""

CHILD = """import sys
import time

sys.path.insert(0, sys.argv[2])
agent = None
if sys.argv[1] != "plain":
    from coldspy.agent import Agent

    agent = Agent(interval_us=1000 if sys.argv[1] == "hook+sampler" else 0, clock="cpu", usage_signal="none")
    agent.start()
started = time.thread_time_ns()
import top  # noqa: E402,F401
elapsed = time.thread_time_ns() - started
recorded = 0
if agent is not None:
    agent.finish()  # stops the timer: at exit the signal's default action would end the process
    recorded = len(agent.snapshot()["modules"])
print(elapsed, recorded)
"""

MODES = ("plain", "hook", "hook+sampler")


def generate(root, packages, modules, python):
    for package in range(packages):
        directory = os.path.join(root, "package%d" % package)
        os.makedirs(directory)
        for index in range(modules):
            with open(os.path.join(directory, "module%d.py" % index), "w") as out:
                out.write(MODULE.format(index=index))
        with open(os.path.join(directory, "__init__.py"), "w") as out:
            out.write("".join("from . import module%d\n" % index for index in range(modules)))
    with open(os.path.join(root, "top.py"), "w") as out:
        out.write("".join("import package%d\n" % package for package in range(packages)))
    subprocess.check_call([python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", root])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=int, default=40)
    parser.add_argument("--modules", type=int, default=9, help="modules per package")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--agent-dir", default=os.path.dirname(HERE),
                        help="the directory holding the coldspy package to measure (default: this checkout's)")
    arguments = parser.parse_args()
    imports = arguments.packages * (arguments.modules + 1) + 1
    version = subprocess.check_output([arguments.python, "-c", "import platform; print(platform.python_version())"],
                                      text=True).strip()
    with tempfile.TemporaryDirectory(prefix="coldspy-import-hook-") as workdir:
        app = os.path.join(workdir, "app")
        os.makedirs(app)
        generate(app, arguments.packages, arguments.modules, arguments.python)
        layer = build_layer(workdir, arguments.python, True, os.path.abspath(arguments.agent_dir))
        child = os.path.join(workdir, "child.py")
        with open(child, "w") as out:
            out.write(CHILD)
        env = dict(os.environ, PYTHONPATH=layer)
        times = {mode: [] for mode in MODES}
        for _ in range(arguments.rounds):
            for mode in MODES:
                elapsed, recorded = map(int, subprocess.check_output(
                    [arguments.python, child, mode, app], env=env, text=True).split())
                if mode != "plain" and recorded != imports:
                    raise SystemExit("%s: the agent recorded %d of the %d imports" % (mode, recorded, imports))
                times[mode].append(elapsed / 1000)
    plain = statistics.median(times["plain"])
    print("%d imports, %d rounds, Python %s: plain %.0f µs" % (imports, arguments.rounds, version, plain))
    for mode in MODES[1:]:
        median = statistics.median(times[mode])
        print("%s: %.0f µs, %+.2f µs per import" % (mode, median, (median - plain) / imports))


if __name__ == "__main__":
    main()
