"""What the agent adds to a warm invocation's response after an idle time, in-process, in fresh interpreters.

    python3 profiler/bench/idle_invoke.py [--rounds 5] [--calls 40] [--gap-ms 100] [--python python3] \
        [--agent-dir profiler]

A Lambda environment waits (frozen) between requests, and the next call starts from cold caches: there each
system call and each Python call of the agent's path around the handler costs several times what it does in a
tight loop (docs/benchmarks.md, "Lambda mode"). Each round starts a fresh interpreter that starts an agent as
Lambda mode does (1 ms CPU-clock sampler, no usage signal), ends init, then makes `calls` pairs of calls, each
after `gap-ms` of sleep and a stand-in for the runtime's work (parsing a JSON event): one through
`Agent.invoke` (the peak-RSS read left for after the response, as the extension does), one of the handler
alone. Reported: the medians over the rounds of each side's per-interpreter median, in µs, and their
difference. `--agent-dir` measures another copy of the agent (e.g. a checkout of an older commit).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILER_DIR = os.path.dirname(HERE)

CHILD = """import json, statistics, sys, time
from coldspy.agent import Agent

calls, gap = int(sys.argv[1]), float(sys.argv[2]) / 1000
agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
agent.start()
agent.end_init()


def handler(event, context):
    return sum(event["values"])


body = json.dumps({"values": list(range(200)), "headers": {"k%d" % i: "v" * 20 for i in range(30)}})
through_agent, alone = [], []
clock = time.perf_counter_ns
for _ in range(calls):
    time.sleep(gap)
    event = json.loads(body)  # the runtime's work between the thaw and the handler
    started = clock()
    agent.invoke(handler, event, None, "event.json", post_response=True)
    through_agent.append(clock() - started)
    agent.after_response()  # the extension's first step after the response
    time.sleep(gap)
    event = json.loads(body)
    started = clock()
    handler(event, None)
    alone.append(clock() - started)
agent.finish()
if agent.errors:
    sys.exit("the agent noted: %s" % agent.errors)
print(json.dumps({"agent": statistics.median(through_agent) / 1000, "alone": statistics.median(alone) / 1000}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="fresh interpreters (default 5)")
    parser.add_argument("--calls", type=int, default=40, help="calls per side in each interpreter (default 40)")
    parser.add_argument("--gap-ms", type=float, default=100, help="idle time before each call (default 100)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--agent-dir", default=PROFILER_DIR,
                        help="the directory holding the coldspy package to measure (default: this checkout's)")
    arguments = parser.parse_args()
    if arguments.rounds < 1 or arguments.calls < 1 or arguments.gap_ms < 0:
        parser.error("--rounds and --calls must be positive, --gap-ms not negative")
    environment = dict(os.environ, PYTHONPATH=os.path.abspath(arguments.agent_dir))
    medians = []
    for _ in range(arguments.rounds):
        completed = subprocess.run([arguments.python, "-c", CHILD, str(arguments.calls), str(arguments.gap_ms)],
                                   capture_output=True, text=True, env=environment, timeout=600)
        if completed.returncode != 0:
            sys.exit("idle_invoke: the measuring interpreter failed: %s" % completed.stderr.strip()[-2000:])
        medians.append(json.loads(completed.stdout))
    through_agent = statistics.median(m["agent"] for m in medians)
    alone = statistics.median(m["alone"] for m in medians)
    print("%d interpreters, %d calls per side each, %.0f ms apart: through the agent %.1f µs, the handler alone"
          " %.1f µs: %+.1f µs" % (arguments.rounds, arguments.calls, arguments.gap_ms, through_agent, alone,
                                  through_agent - alone))


if __name__ == "__main__":
    main()
