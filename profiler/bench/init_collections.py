"""What the agent adds to an app's init in garbage collections and memory, counted rather than timed.

    python3 profiler/bench/init_collections.py [--fixtures] [--app path/handler.py ...] [--python python3] \
        [--agent-dir profiler] [--pythonpath LIBS ...]

Every object the agent allocates during init that the collector tracks and that is still alive at the next
young collection brings that collection (one per 700) nearer, and a young collection on a library-heavy init
costs ~75 µs, a middle one ~0.8 ms (every 10th young one), a full one tens of ms. Without sampling those counts
do not depend on the machine's load: for a given hash seed the same init allocates the same objects (the
sampler's samples follow the CPU time, so its mode moves a little from run to run). So, per app, one fresh
interpreter per mode (`PYTHONHASHSEED=0`), each loading what Lambda's runtime has loaded, then importing the
handler module:
- **no agent**;
- **hook**: the agent in Lambda mode without sampling (`COLDSPY_INTERVAL_MS=0`): its import hook, collection
  watch and start;
- **agent**: its defaults (sampling every CPU millisecond too).
The agent comes from a copy of `--agent-dir`/coldspy with bytecode, as a layer ships it, started as
coldspy.lambda_entry starts it, without Lambda's Extensions API (no extension: its registration allocates
little, and needs a server). Reported per mode: the collections of each generation during init and their
time (`gc.callbacks`), the tracked objects allocated and not freed by the end of init (a second run of the
mode with the collector off: `gc.get_count()`), and the resident memory at the end of init.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from lambda_mode import PROFILER_DIR, build_layer  # noqa: E402  (it puts this checkout's coldspy on sys.path)
from coldspy.context import LAMBDA_RUNTIME_MODULES  # noqa: E402

MODES = ("no agent", "hook", "agent")

CHILD = r"""
import gc, json, os, sys, time
mode, app_root, module_name, collect, runtime_modules = sys.argv[1:6]
collect = collect == "1"
for name in runtime_modules.split(","):  # what Lambda's runtime has loaded before the handler
    __import__(name)
counts = [0, 0, 0]
elapsed = [0, 0, 0]
started = [0]


def watch(phase, info):
    if phase == "start":
        started[0] = time.perf_counter_ns()
    else:
        counts[info["generation"]] += 1
        elapsed[info["generation"]] += time.perf_counter_ns() - started[0]


if not collect:
    gc.set_threshold(10 ** 9, 10 ** 9, 10 ** 9)
gc.collect()  # from here on, gc.get_count() counts every tracked allocation not freed
gc.callbacks.append(watch)
sys.path.insert(0, app_root)
if mode != "no agent":
    if mode == "hook":
        os.environ["COLDSPY_INTERVAL_MS"] = "0"
    from coldspy import lambda_runtime
    session = lambda_runtime.LambdaSession(module_name + ".handler")
    session.start()
__import__(module_name)
if mode != "no agent":
    session.end_init()
    if session.agent.errors:
        raise SystemExit("the agent noted: %s" % session.agent.errors)
with open("/proc/self/statm") as statm:
    resident_kib = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
print(json.dumps({"collections": counts, "gcMs": sum(elapsed) / 1e6, "trackedNet": gc.get_count()[0],
                  "residentKiB": resident_kib}))
os._exit(0)  # no exit handler: the agent's final write is not init's
"""


def run_mode(python, mode, handler_path, layer, workdir, collect, library_dirs=()):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("COLDSPY_", "AWS_LAMBDA_"))}
    env.update(PYTHONHASHSEED="0", PYTHONPATH=os.pathsep.join([layer, *library_dirs]), AWS_LAMBDA_FUNCTION_NAME="bench",
               COLDSPY_OUTPUT_DIR=os.path.join(workdir, "profiles"))
    app_root, module_file = os.path.split(os.path.abspath(handler_path))
    completed = subprocess.run([python, "-c", CHILD, mode, app_root, module_file[:-3], "1" if collect else "0",
                                ",".join(LAMBDA_RUNTIME_MODULES)],
                               env=env, cwd=app_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit("%s, %s: the process failed (status %d):\n%s" % (handler_path, mode, completed.returncode,
                                                                        completed.stderr[-2000:]))
    return json.loads(completed.stdout.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", action="store_true", help="every fixture app (the default)")
    parser.add_argument("--app", action="append", default=[], metavar="HANDLER_PY",
                        help="path/handler.py (repeatable)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--agent-dir", default=PROFILER_DIR,
                        help="the directory holding the coldspy package to measure (default: this checkout's)")
    parser.add_argument("--pythonpath", action="append", default=[], metavar="DIR",
                        help="a directory of the apps' libraries for every mode, e.g. a layer's python/ (repeatable)")
    arguments = parser.parse_args()
    apps = list(arguments.app)
    if arguments.fixtures or not apps:
        fixtures = os.path.join(os.path.dirname(PROFILER_DIR), "fixtures", "apps")
        apps += [os.path.join(fixtures, name, "handler.py") for name in sorted(os.listdir(fixtures))
                 if os.path.exists(os.path.join(fixtures, name, "handler.py"))]
    print("| app | mode | collections (young, middle, full) | their time | tracked objects left by init "
          "| resident at the end of init |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="coldspy-init-collections-") as workdir:
        layer = build_layer(workdir, arguments.python, True, os.path.abspath(arguments.agent_dir))
        for handler_path in apps:
            name = os.path.basename(os.path.dirname(os.path.abspath(handler_path)))
            base = None
            for mode in MODES:
                counted = run_mode(arguments.python, mode, handler_path, layer, workdir, True, arguments.pythonpath)
                uncollected = run_mode(arguments.python, mode, handler_path, layer, workdir, False,
                                       arguments.pythonpath)
                row = (counted["collections"], counted["gcMs"], uncollected["trackedNet"], counted["residentKiB"])
                if base is None:
                    base = row
                    print("| %s | %s | %s | %.2f ms | %d | %.1f MiB |" % (
                        name, mode, ", ".join(map(str, row[0])), row[1], row[2], row[3] / 1024))
                else:
                    print("| | %s | %s (%s) | %.2f ms | %d (%+d) | %.1f MiB (%+.2f) |" % (
                        mode, ", ".join(map(str, row[0])),
                        ", ".join("%+d" % (mine - theirs) for mine, theirs in zip(row[0], base[0])),
                        row[1], row[2], row[2] - base[2], row[3] / 1024, (row[3] - base[3]) / 1024))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
