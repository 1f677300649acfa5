#!/usr/bin/env python3
"""Instructions an app's init executes, counted by valgrind: the yardstick for a saving estimate on a noisy host.

Wall and CPU time of one cold start vary by 30-50 % from run to run on a shared 2-core machine; the instructions
a process executes vary by ~0.1 %. For each app folder given, this counts (callgrind, whole process) an
interpreter that loads the modules Lambda's runtime has already loaded (coldspy.context.LAMBDA_RUNTIME_MODULES)
and then imports the handler module, less the same interpreter without the handler's import. Give the app and
a copy with a change made (an import line removed, deferred) to see what the change saves, as a share of init:

    python3 scripts/bench/init_instructions.py --python VENV/bin/python --module handler APP APP_WITHOUT_RICH

Each figure is the median over `--runs` processes with PYTHONHASHSEED 0, 1, ... (a seed moves dict layouts and so
where collections fall). Bytecode is as the folders have it. No agent is loaded in the measured processes.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "profiler"))
from coldspy.context import LAMBDA_RUNTIME_MODULES  # noqa: E402


def instructions(python, code, cwd, seed):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "callgrind.out")
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        completed = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, python, "-c", code],
                                   cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if completed.returncode != 0:
            sys.exit("init_instructions: %s in %s failed:\n%s" % (python, cwd, completed.stderr[-2000:]))
        found = re.search(r"Collected : (\d+)", completed.stderr)
        if not found:
            sys.exit("init_instructions: valgrind printed no instruction count:\n" + completed.stderr[-2000:])
        return int(found.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("apps", nargs="+", help="app folders (the first is the reference)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter (a virtualenv's python)")
    parser.add_argument("--module", default="handler", help="the handler module's name (default: handler)")
    parser.add_argument("--runs", type=int, default=2, help="processes per figure (default 2)")
    args = parser.parse_args()
    preload = "import " + ", ".join(LAMBDA_RUNTIME_MODULES) + "; import sys; sys.path.insert(0, '.')"
    with_handler = preload + "; import " + args.module
    base = statistics.median(instructions(args.python, preload, args.apps[0], seed) for seed in range(args.runs))
    print("runtime modules only: %.1f M instructions" % (base / 1e6))
    reference = None
    for app in args.apps:
        total = statistics.median(instructions(args.python, with_handler, app, seed) for seed in range(args.runs))
        init = total - base
        if reference is None:
            reference = init
            print("%s: init %.1f M instructions" % (app, init / 1e6))
        else:
            print("%s: init %.1f M instructions, %.1f M (%.2f %% of the first's init) fewer" % (
                app, init / 1e6, (reference - init) / 1e6, 100.0 * (reference - init) / reference))


if __name__ == "__main__":
    main()
