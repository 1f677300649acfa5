"""The agent in Lambda mode vs no agent: init, first (cold) invocation and warm invocations, per app.

    python3 profiler/bench/lambda_mode.py [--fixtures] [--synthetic] [--app HANDLER=EVENTS ...] \
        [--rounds 15] [--warm 30] [--python python3] [--agent-env COLDSPY_USAGE_SIGNAL=none ...] \
        [--pythonpath LIBS] [--layer-without-bytecode] [--agent-dir profiler] [--evict-kib N] [--pin]

Each round starts two fresh interpreters of profiler/bench/lambda_driver.py (a stand-in for the Lambda
Python runtime) on the same events, one per side, in alternating order so that a drift of machine load hits
both alike: **no agent** imports the handler module itself; **Lambda mode** is the exec wrapper's setup
(`_HANDLER=coldspy.lambda_entry.handler`, the real handler in COLDSPY_ORIGINAL_HANDLER, the agent's
defaults: CPU clock at 1 ms, usage signal auto, profile written to $COLDSPY_OUTPUT_DIR on its schedule).
Both sides get the same Lambda environment variables and PYTHONPATH. The agent is loaded from a copy of
profiler/coldspy with bytecode compiled for the interpreter (unchecked-hash, as a layer should ship it;
--layer-without-bytecode measures a layer without it, whose modules compile on every cold start).
Lambda's Extensions API is served to both sides by a process of its own; where the agent registered its
extension, the driver runs each invocation as Lambda does (see lambda_driver.py) and reports, apart from
the response, the **post-response** work: the time until the extension asks for its next event (billed,
not felt by the caller; the next invocation waits for it).
Reported: medians over the rounds of init (wall, and CPU: process user + sys, which other processes' load
barely moves: both of the handler's import, what the runtime times as the function's init), of the process's
CPU from its start to the end of Lambda's init phase (Lambda's Init Duration counts all of it: the
interpreter's start, the runtime's own imports, the handler's, and a registered extension's until it asks for
its first event), of the first invocation's response and post-response work, and of each environment's
median warm invocation and post-response work; the Lambda-mode rows also give the difference, and for both
init CPU figures and the warm invocation (the targets with the narrowest margins) a 95 % bootstrap interval of the
difference of medians: a 2 % target is met only where the whole interval is below it. Markdown rows for
docs/benchmarks.md. Below them, per app, the agent's own time at init (`agentUs.init` of its profiles, median):
the wall time of its import hook and sampler, timed around them inside the process. It moves less with the
machine's load than a difference of two processes, so it shows what a change to the hook's or the sampler's
work saves; the agent's start (its imports, the extension's registration) is not in it (instructions.py counts
that). `--agent-dir` measures another copy of the agent, e.g. a checkout of an older commit. `--pin` keeps
each environment's process on one CPU and the stand-in API on another (lambda_driver.py's `pin`): a function of
up to 1,769 MB gets one vCPU's worth of time, and where the scheduler moves the two processes between the
machine's CPUs the medians move with it on both sides.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILER_DIR = os.path.dirname(HERE)
DRIVER = os.path.join(HERE, "lambda_driver.py")

from overhead import workloads  # noqa: E402  (it puts this checkout's coldspy on sys.path)
from coldspy.context import LAMBDA_RUNTIME_MODULES  # noqa: E402


def build_layer(workdir, python, with_bytecode, agent_dir=PROFILER_DIR):
    """A copy of the agent package (`agent_dir`/coldspy) as a Lambda layer would hold it; returns the directory
    to put on the path."""
    layer = os.path.join(workdir, "layer")
    shutil.copytree(os.path.join(agent_dir, "coldspy"), os.path.join(layer, "coldspy"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    if with_bytecode:
        subprocess.check_call([python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash",
                               os.path.join(layer, "coldspy")])
    return layer


def run_environment(python, app_root, module, events, warm, gap_ms, evict_kib, pin, env, workdir, index):
    spec_path = os.path.join(workdir, "spec-%d.json" % index)
    result_path = os.path.join(workdir, "result-%d.json" % index)
    with open(spec_path, "w") as out:
        json.dump({"runtimeModules": LAMBDA_RUNTIME_MODULES, "events": events, "invocations": 1 + warm,
                   "gapMs": gap_ms, "evictKiB": evict_kib, "pin": pin}, out)
    completed = subprocess.run([python, DRIVER, spec_path, result_path], env=env, cwd=app_root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit("%s: the environment failed (status %d):\n%s" % (module, completed.returncode,
                                                                         completed.stderr[-2000:]))
    with open(result_path) as source:
        return json.load(source)


def measure(name, handler_text, events_dir, arguments, layer, workdir):
    path, _, function = handler_text.rpartition(":")
    app_root = os.path.dirname(os.path.abspath(path))
    module = os.path.basename(path)[:-3]
    events_dir = os.path.abspath(events_dir)
    events = sorted(os.path.join(events_dir, e) for e in os.listdir(events_dir) if e.endswith(".json"))
    output_dir = os.path.join(workdir, "profiles")
    base = dict(os.environ, LAMBDA_TASK_ROOT=app_root, AWS_LAMBDA_FUNCTION_NAME=name,
                AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1024", PYTHONPATH=os.pathsep.join([layer] + arguments.pythonpath))
    for name_only in [key for key in base if key.startswith("COLDSPY_")]:
        del base[name_only]
    plain = dict(base, _HANDLER="%s.%s" % (module, function))
    profiled = dict(base, _HANDLER="coldspy.lambda_entry.handler", COLDSPY_ORIGINAL_HANDLER=plain["_HANDLER"],
                    COLDSPY_OUTPUT_DIR=output_dir)
    for assignment in arguments.agent_env:
        key, _, value = assignment.partition("=")
        profiled[key] = value
    sides = {False: [], True: []}
    agent_errors = set()
    own_init_us = []  # the agent's own measure of its work during init (import hook, sampler), per environment
    for index in range(arguments.rounds):
        for with_agent in ((True, False) if index % 2 == 0 else (False, True)):
            shutil.rmtree(output_dir, ignore_errors=True)
            os.makedirs(output_dir)
            result = run_environment(arguments.python, app_root, name, events, arguments.warm, arguments.gap_ms,
                                     arguments.evict_kib, arguments.pin, profiled if with_agent else plain, workdir,
                                     index)
            sides[with_agent].append(result)
            if with_agent:
                written = os.listdir(output_dir)
                if len(written) != 1:
                    raise SystemExit("%s: expected one profile in %s, found %s" % (name, output_dir, written))
                with open(os.path.join(output_dir, written[0])) as source:
                    profile = json.load(source)
                agent_errors.update(error["message"] for error in profile["errors"])
                own_init_us.append(profile["coldStarts"][0]["agentUs"]["init"])
                modules = len(profile["coldStarts"][0]["modules"])
                settings = profile["settings"]
    row = {"name": name, "modules": modules, "usageSignal": settings["usageSignal"], "errors": sorted(agent_errors),
           "ownInit": statistics.median(own_init_us) / 1000}
    for key in ("initCpuUs", "initProcessCpuUs"):
        row[key + "Interval"] = difference_interval([r[key] for r in sides[False]], [r[key] for r in sides[True]],
                                                    relative=True)
    if arguments.warm:
        row["warmInterval"] = [bound / 1000 for bound in difference_interval(
            *[[statistics.median(r["invocationWallUs"][1:]) for r in sides[with_agent]] for with_agent in (False, True)])]
    for with_agent in (False, True):
        results = sides[with_agent]
        after = [r["postResponseWallUs"] for r in results if r["postResponseWallUs"]]
        row[with_agent] = {
            "initWall": statistics.median(r["initWallUs"] for r in results) / 1000,
            "initCpu": statistics.median(r["initCpuUs"] for r in results) / 1000,
            "initProcessCpu": statistics.median(r["initProcessCpuUs"] for r in results) / 1000,
            "first": statistics.median(r["invocationWallUs"][0] for r in results) / 1000,
            "warm": statistics.median(statistics.median(r["invocationWallUs"][1:]) for r in results) / 1000
            if arguments.warm else 0.0,
            # Post-response work, where an extension registered (in every environment of the side, or none).
            "firstAfter": statistics.median(a[0] for a in after) / 1000 if len(after) == len(results) else None,
            "warmAfter": statistics.median(statistics.median(a[1:]) for a in after) / 1000
            if len(after) == len(results) and arguments.warm else None,
        }
    return row


def difference_interval(plain, agent, relative=False, resamples=2000, seed=16):
    """The 95 % percentile-bootstrap interval of median(agent) - median(plain) (with `relative`, of
    median(agent) / median(plain) - 1, in %): each side resampled with replacement on its own, `resamples`
    times, with a fixed seed so that a report can be reproduced from its numbers."""
    draw = random.Random(seed)
    differences = []
    for _ in range(resamples):
        without = statistics.median(draw.choices(plain, k=len(plain)))
        with_agent = statistics.median(draw.choices(agent, k=len(agent)))
        differences.append((with_agent / without - 1) * 100 if relative else with_agent - without)
    differences.sort()
    return differences[int(0.025 * resamples)], differences[int(0.975 * resamples) - 1]


def print_rows(rows, arguments, python_version):
    print("Machine: %s, %d cores, load average %.1f at the end; Python %s; %s; %d rounds (fresh interpreters "
          "per side, interleaved), %d warm invocations each, %g ms apart%s%s; agent settings %s" % (
              platform.machine(), os.cpu_count(), os.getloadavg()[0], python_version,
              time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), arguments.rounds, arguments.warm, arguments.gap_ms,
              ", %d KiB written before each (cold caches)" % arguments.evict_kib if arguments.evict_kib else "",
              "; the function on CPU %(function)d, the API on CPU %(api)d" % arguments.pin if arguments.pin else "",
              " ".join(arguments.agent_env) or "default"))
    print()
    print("| app (modules, usage signal) | side | init wall | init CPU | process CPU to the end of init "
          "| first invocation | after its response | warm invocation (median) | after a warm response |")
    print("|---|---|---|---|---|---|---|---|---|")

    def after(milliseconds, digits):
        return "—" if milliseconds is None else "%.*f ms" % (digits, milliseconds)

    def relative(row, key):
        """The Lambda-mode side's median, its difference to no agent and the difference's interval."""
        plain, agent = row[False][key], row[True][key]
        return "%.1f ms (%+.1f %%; 95 %% CI %+.1f to %+.1f)" % (agent, (agent / plain - 1) * 100,
                                                             *row[key + "UsInterval"])

    for row in rows:
        plain, agent = row[False], row[True]
        print("| %s (%d, %s) | no agent | %.1f ms | %.1f ms | %.1f ms | %.2f ms | %s | %.3f ms | %s |" % (
            row["name"], row["modules"], row["usageSignal"], plain["initWall"], plain["initCpu"],
            plain["initProcessCpu"], plain["first"], after(plain["firstAfter"], 2), plain["warm"],
            after(plain["warmAfter"], 3)))
        warm_interval = row.get("warmInterval")
        print("| | Lambda mode | %.1f ms (%+.1f %%) | %s | %s | %.2f ms (%+.2f ms) | %s "
              "| %.3f ms (%+.3f ms%s) | %s |" % (
            agent["initWall"], (agent["initWall"] / plain["initWall"] - 1) * 100,
            relative(row, "initCpu"), relative(row, "initProcessCpu"),
            agent["first"], agent["first"] - plain["first"], after(agent["firstAfter"], 2),
            agent["warm"], agent["warm"] - plain["warm"],
            "; 95 %% CI %+.3f to %+.3f" % tuple(warm_interval) if warm_interval else "",
            after(agent["warmAfter"], 3)))
    print()
    for row in rows:
        print("agent's own time at init (%s): %.2f ms median (import hook and sampler, wall; its start is not in "
              "it), %.1f %% of the no-agent init CPU" % (row["name"], row["ownInit"],
                                                          row["ownInit"] / row[False]["initCpu"] * 100))
    for row in rows:
        for message in row["errors"]:
            print("\nagent note (%s): %s" % (row["name"], message))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="fresh interpreters per side (default 15)")
    parser.add_argument("--warm", type=int, default=30, help="warm invocations per environment (default 30)")
    parser.add_argument("--gap-ms", type=float, default=20,
                        help="idle time between invocations, after the freeze (default 20; 0: back to back)")
    parser.add_argument("--evict-kib", type=int, default=0,
                        help="after each idle time, write this much memory on both sides, as other work on the "
                             "host does to a frozen environment's caches (e.g. 16384; default 0: caches left warm)")
    parser.add_argument("--pin", action="store_true",
                        help="keep each function's process (all its threads) on one CPU and the stand-in API on "
                             "another: one vCPU's worth, as a function of up to 1,769 MB gets (default: the "
                             "scheduler places both)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--synthetic", action="store_true", help="the synthetic workloads of overhead.py")
    parser.add_argument("--fixtures", action="store_true", help="every fixture app (the default)")
    parser.add_argument("--app", action="append", default=[], metavar="HANDLER=EVENTS",
                        help="path/handler.py:handler=events-dir (repeatable)")
    parser.add_argument("--agent-env", action="append", default=[], metavar="NAME=VALUE",
                        help="a COLDSPY_* setting for the Lambda-mode side (repeatable)")
    parser.add_argument("--pythonpath", action="append", default=[], metavar="DIR",
                        help="a directory of the app's libraries for both sides, e.g. a layer's python/ (repeatable)")
    parser.add_argument("--agent-dir", default=PROFILER_DIR,
                        help="the directory holding the coldspy package to measure (default: this checkout's)")
    parser.add_argument("--layer-without-bytecode", action="store_true",
                        help="load the agent from a layer without .pyc files (it compiles at every cold start)")
    arguments = parser.parse_args()
    if arguments.pin:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            parser.error("--pin needs two CPUs, this process may use %s" % cpus)
        arguments.pin = {"function": cpus[-1], "api": cpus[0]}
    else:
        arguments.pin = None
    python_version = subprocess.check_output([arguments.python, "-c", "import platform; "
                                              "print(platform.python_version())"], text=True).strip()
    rows = []
    with tempfile.TemporaryDirectory(prefix="coldspy-lambda-bench-") as workdir:
        layer = build_layer(workdir, arguments.python, not arguments.layer_without_bytecode,
                            os.path.abspath(arguments.agent_dir))
        for name, handler_text, events in workloads(arguments, workdir, synthetic_by_default=False):
            print("measuring %s ..." % name, file=sys.stderr)
            rows.append(measure(name, handler_text, events, arguments, layer, workdir))
    print_rows(rows, arguments, python_version)


if __name__ == "__main__":
    main()
