"""Overhead of the ColdSpy agent: cold starts with and without it, interleaved side by side in one run.

    PYTHONPATH=profiler python3 profiler/bench/overhead.py [--cold-starts 10] [--synthetic] [--fixtures] \
        [--app fixtures/apps/rules_engine/handler.py:handler=fixtures/apps/rules_engine/events] ... \
        [--usage-signal setprofile] [--interval-ms 1] [--clock cpu]

For every workload it runs N rounds; each round starts one fresh interpreter with the agent and one without
(the order alternates every round, so a drift of machine load hits both sides alike), with the same events.
Both sides are timed by the same code in coldspy._child, outside the agent (its own bookkeeping included):
- init: CPU time (the main thread's user + sys, exact; the process clock lags while the agent's CPU timer is
  armed, see coldspy/_child.py) and wall time from before the agent starts to after the handler
  module is imported. CPU time is the figure to read on a shared machine: other processes' load stretches
  wall time (preemption) but barely the CPU time a cold start consumes. Other threads are not in it (an
  app's worker threads, the agent's work for imports made on them): the process CPU column has them;
- execution: CPU (main thread, as for init) and wall time of the handler calls of the cold start (summed per
  cold start);
- process CPU: user + sys of the whole interpreter (start-up, agent, deferred work, writing the result),
  from the runner's rusage of its finished child;
- memory: peak RSS of the interpreter after the last call (the agent's own memory is the difference);
- profile size: the JSON profile of the N agent cold starts, as `coldspy run` writes it.
The agent's own time counts the sampler and the import hook, not the usage signal's callbacks (timing
each sys.setprofile event would add to its cost): read the CPU columns for --usage-signal setprofile.
Overheads are ratios of medians minus one. Results are printed as Markdown rows for docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from coldspy import document, runner  # noqa: E402
from coldspy.agent import USAGE_SIGNALS  # noqa: E402

SYNTHETIC = {
    # Init-heavy: many standard-library imports plus a package whose import burns CPU; a light handler.
    "synthetic-imports": {
        "handler.py": """
            import email.mime.multipart
            import http.client
            import xml.etree.ElementTree
            import decimal
            import logging
            import csv
            import burner


            def handler(event, context):
                return {"n": len(event), "burn": burner.RESULT % 7}
            """,
        "burner/__init__.py": """
            from burner import helpers


            def _burn(n):
                total = 0
                for i in range(n):
                    total += helpers.step(i)
                return total


            RESULT = _burn(300000)
            """,
        "burner/helpers.py": "def step(i):\n    return i & 7\n",
    },
    # Execution-heavy: recursive, deep stacks (sampling cost grows with depth), ~50 ms per call.
    "synthetic-deep-compute": {
        "handler.py": """
            import json


            def descend(depth, work):
                if depth == 0:
                    total = 0
                    for i in range(work):
                        total += i * i
                    return total
                return descend(depth - 1, work)


            def handler(event, context):
                return sum(descend(40, 20000) for _ in range(50))
            """,
    },
    # Many tiny calls through many functions: the worst case for a call-level usage signal.
    "synthetic-many-calls": {
        "handler.py": """
            def make(n):
                namespace = {}
                for i in range(n):
                    exec("def f%d(x):\\n    return x + %d" % (i, i), namespace)
                return [namespace["f%d" % i] for i in range(n)]


            FUNCTIONS = make(300)


            def handler(event, context):
                total = 0
                for _ in range(300):
                    for f in FUNCTIONS:
                        total = f(total) & 0xFFFF
                return total
            """,
    },
}


def write_synthetic(root, name):
    app = os.path.join(root, name)
    for relative, source in SYNTHETIC[name].items():
        path = os.path.join(app, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write(textwrap.dedent(source).lstrip("\n"))
    os.makedirs(os.path.join(app, "events"), exist_ok=True)
    with open(os.path.join(app, "events", "event.json"), "w") as out:
        json.dump({"kind": "benchmark"}, out)
    return os.path.join(app, "handler.py:handler"), os.path.join(app, "events")


def fixture_apps():
    """HANDLER=EVENTS specs of the fixture apps (fixtures/apps/<app> with handler.py and events/)."""
    apps = os.path.join(os.path.dirname(os.path.dirname(HERE)), "fixtures", "apps")
    return ["%s:handler=%s" % (os.path.join(apps, name, "handler.py"), os.path.join(apps, name, "events"))
            for name in sorted(os.listdir(apps))
            if os.path.isfile(os.path.join(apps, name, "handler.py")) and os.path.isdir(os.path.join(apps, name, "events"))]


def workloads(arguments, workdir, synthetic_by_default):
    """(name, handler text, events directory) of the workloads asked for: --synthetic, --fixtures, --app;
    with none of them the synthetic workloads, or the fixture apps when not `synthetic_by_default`."""
    chosen = []
    asked = arguments.synthetic or arguments.fixtures or arguments.app
    if arguments.synthetic or (not asked and synthetic_by_default):
        chosen += [(name,) + write_synthetic(workdir, name) for name in SYNTHETIC]
    specs = list(arguments.app)
    if arguments.fixtures or (not asked and not synthetic_by_default):
        specs += fixture_apps()
    for spec in specs:
        handler_text, _, events = spec.partition("=")
        chosen.append((os.path.basename(os.path.dirname(handler_text.split(":")[0])) or "app", handler_text, events))
    return chosen


def measure(name, handler_text, event_paths, arguments, workdir):
    handler = runner.Handler(handler_text)
    events = runner.load_events(event_paths)
    options = runner.Options(arguments.python, int(round(arguments.interval_ms * 1000)), arguments.clock,
                             arguments.usage_signal, name, 128, 900)
    sides = {True: [], False: []}
    records = []
    for index in range(arguments.cold_starts):
        batch = runner.events_for(index, arguments.invocations, events)
        for profiled in ((True, False) if index % 2 == 0 else (False, True)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result, status = runner.run_cold_start(index, handler, batch, options, workdir, profile=profiled)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if result is None or result.get("setupError") or status != 0:
                raise SystemExit("%s: cold start %d failed (status %d): %s" % (
                    name, index, status, result and result.get("setupError")))
            process_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            sides[profiled].append(dict(result["timings"], processCpuUs=process_cpu * 1e6))
            if profiled:
                records.append(result["record"])
                environment = result["environment"]
    profile = document.build(records, {"handler": handler_text, "root": handler.root, "name": name},
                             dict(environment, **{"lambda": False, "memoryLimitMb": None}),
                             {"sampleIntervalUs": options.interval_us, "clock": options.clock,
                              "coldStarts": arguments.cold_starts})
    size = len(json.dumps(profile, separators=(",", ":")))

    def median(side, key):
        values = [t[key] if not isinstance(t[key], list) else sum(t[key]) for t in sides[side]]
        return statistics.median(values)

    row = {"name": name, "profileBytes": size, "python": environment["pythonVersion"], "usageSignal": profile["settings"]["usageSignal"],
           "modules": len(records[0]["modules"])}
    for key in ("initWallUs", "initCpuUs", "invocationWallUs", "invocationCpuUs", "processCpuUs", "peakRssBytes"):
        row[key] = (median(False, key), median(True, key))
    row["deferredWallUs"] = statistics.median(t["agentDeferredWallUs"] for t in sides[True])
    # The agent's own time inside the timed phases, as it accounts for it itself (immune to machine load).
    row["ownInit"] = statistics.median(r["agentUs"]["init"] / max(1, r["initUs"]) for r in records)
    row["ownExecution"] = statistics.median(
        r["agentUs"]["execution"] / max(1, sum(i["durationUs"] for i in r["invocations"])) for r in records)
    return row


def percent(pair):
    base, with_agent = pair
    return "%+.1f %%" % ((with_agent / base - 1) * 100) if base else "n/a"


def print_rows(rows, arguments):
    print("Machine: %s, %d cores, load average %.1f; profiled Python %s; %s; %d cold starts per side, "
          "%d invocations each; interval %s ms, clock %s, usage signal %s" % (
              platform.machine(), os.cpu_count(), os.getloadavg()[0], rows[0]["python"] if rows else "?",
              time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), arguments.cold_starts, arguments.invocations,
              arguments.interval_ms, arguments.clock, arguments.usage_signal))
    print()
    print("| workload | modules | init CPU (base → agent) | init CPU | init wall | execution CPU (base → agent) "
          "| execution CPU | execution wall | process CPU | agent's own time init / execution | agent memory "
          "| profile size | deferred agent work |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| %s (%s) | %d | %.1f → %.1f ms | %s | %s | %.1f → %.1f ms | %s | %s | %s | %.1f %% / %.1f %% "
              "| %+.1f MiB | %d KiB | %.0f ms |" % (
                  row["name"], row["usageSignal"], row["modules"],
                  row["initCpuUs"][0] / 1000, row["initCpuUs"][1] / 1000, percent(row["initCpuUs"]),
                  percent(row["initWallUs"]),
                  row["invocationCpuUs"][0] / 1000, row["invocationCpuUs"][1] / 1000,
                  percent(row["invocationCpuUs"]), percent(row["invocationWallUs"]), percent(row["processCpuUs"]),
                  row["ownInit"] * 100, row["ownExecution"] * 100,
                  (row["peakRssBytes"][1] - row["peakRssBytes"][0]) / 2 ** 20, row["profileBytes"] // 1024,
                  row["deferredWallUs"] / 1000))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cold-starts", type=int, default=10)
    parser.add_argument("--invocations", type=int, default=3)
    parser.add_argument("--interval-ms", type=float, default=1.0)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="cpu")
    parser.add_argument("--usage-signal", choices=USAGE_SIGNALS, default="auto",
                        help="the exact usage signal to measure (setprofile: its cost on 3.9-3.11)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--synthetic", action="store_true", help="the built-in synthetic workloads")
    parser.add_argument("--fixtures", action="store_true",
                        help="every fixture app (fixtures/apps/<app>/handler.py:handler with its events/)")
    parser.add_argument("--app", action="append", default=[], metavar="HANDLER=EVENTS",
                        help="path/handler.py:handler=events-dir (repeatable)")
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="coldspy-bench-") as workdir:
        for name, handler_text, events in workloads(arguments, workdir, synthetic_by_default=True):
            print("measuring %s ..." % name, file=sys.stderr)
            rows.append(measure(name, handler_text, [events], arguments, workdir))
    print_rows(rows, arguments)


if __name__ == "__main__":
    main()
