"""What a little work between two calls of a handler costs the next call, in one process, without the agent.

    python3 profiler/bench/between_calls.py [--app path/handler.py:function=events-dir] [--processes 3] \
        [--blocks 12] [--calls 20] [--gap-ms 20] [--cpu N] [--python python3]

The agent's extension does a few things after each response (it wakes up, reads the process's peak memory from
/proc/self/status, reads and parses its INVOKE event, asks for the next one). None of it is in the response's
time, yet the Lambda-mode benchmark finds warm invocations slower with the agent by more than the agent's own
path around the call. This measures the after-effect apart: in each of `--processes` fresh interpreters (hash
seed fixed, so that the processes' dict layouts agree; optionally on one CPU), the app's handler is called
`--calls` times `--gap-ms` apart per block, and blocks of each kind of between-calls work take turns:
- none: nothing;
- wake: a helper thread, idle on a lock, is woken and goes back to sleep (the extension's wake-up alone);
- status: one read of /proc/self/status from an open descriptor, in the calling thread (the peak memory read);
- event: one INVOKE event parsed from JSON, in the calling thread;
- agent-like: the status read and the event parsed in the woken helper thread, as the extension does them.
Reported per kind: the median over processes of each process's median call (the first call of each block
left out), and the median over processes of its difference to `none` in the same process. Each process's
figures are printed too: the whole-process level moves by tens of % between processes, the differences within
one much less.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_APP = os.path.join(os.path.dirname(os.path.dirname(HERE)), "fixtures", "apps", "data_science")
KINDS = ("none", "wake", "status", "event", "agent-like")

# What Lambda's Extensions API sends for an invocation (its fields as documented; the values made up).
_INVOKE_EVENT = json.dumps({
    "eventType": "INVOKE", "deadlineMs": 1733356800000, "requestId": "3da1f2dc-3222-475e-9205-e2e6c6318895",
    "invokedFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:bench",
    "tracing": {"type": "X-Amzn-Trace-Id", "value": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}})


def run_child(handler_text, events_dir, blocks, calls, gap_ms):
    """The measured process: prints {kind: [call time in µs, ...]} as JSON."""
    import _thread
    import importlib
    import time

    from coldspy.context import load_lambda_runtime_modules

    load_lambda_runtime_modules()  # what Lambda's runtime has loaded before the handler: json among them
    path, _, function = handler_text.rpartition(":")
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    handler = getattr(importlib.import_module(os.path.basename(path)[:-3]), function)
    events = []
    for name in sorted(os.listdir(events_dir)):
        if name.endswith(".json"):
            with open(os.path.join(events_dir, name)) as source:
                events.append(json.load(source))
    status = os.open("/proc/self/status", os.O_RDONLY)
    wake, done = _thread.allocate_lock(), _thread.allocate_lock()
    wake.acquire()
    done.acquire()
    helper_work = [None]

    def helper():
        while True:
            wake.acquire()
            if helper_work[0] is not None:
                helper_work[0]()
            done.release()

    _thread.start_new_thread(helper, ())

    def read_status():
        os.pread(status, 4096, 0)

    def parse_event():
        json.loads(_INVOKE_EVENT)

    def in_helper(work):
        def woken():
            helper_work[0] = work
            wake.release()
            done.acquire()
        return woken

    def status_and_event():
        read_status()
        parse_event()

    between = {"none": None, "wake": in_helper(None), "status": read_status, "event": parse_event,
               "agent-like": in_helper(status_and_event)}
    times = {kind: [] for kind in KINDS}
    wall = time.perf_counter_ns
    for _ in range(blocks):
        for kind in KINDS:
            work = between[kind]
            for call in range(calls):
                started = wall()
                try:
                    handler(events[call % len(events)], None)
                except Exception:
                    pass  # an event the handler rejects is a call all the same
                ended = wall()
                if call:
                    times[kind].append((ended - started) / 1000)
                if work is not None:
                    work()
                time.sleep(gap_ms / 1000)
    print(json.dumps(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app", default="%s=%s" % (os.path.join(DEFAULT_APP, "handler.py:handler"),
                                                   os.path.join(DEFAULT_APP, "events")),
                        metavar="HANDLER=EVENTS", help="path/handler.py:function=events-dir (default: data_science)")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=12, help="blocks of each kind per process (default 12)")
    parser.add_argument("--calls", type=int, default=20, help="calls per block (default 20)")
    parser.add_argument("--gap-ms", type=float, default=20)
    parser.add_argument("--cpu", type=int, help="run the processes (all their threads) on this CPU")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    handler_text, _, events_dir = arguments.app.rpartition("=")
    if arguments.child:
        run_child(handler_text, events_dir, arguments.blocks, arguments.calls, arguments.gap_ms)
        return
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=os.path.dirname(HERE))
    command = [arguments.python, os.path.abspath(__file__), "--child", "--app", arguments.app, "--blocks",
               str(arguments.blocks), "--calls", str(arguments.calls), "--gap-ms", str(arguments.gap_ms)]
    medians = {kind: [] for kind in KINDS}
    for index in range(arguments.processes):
        completed = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=(lambda: os.sched_setaffinity(0, {arguments.cpu}))
                                   if arguments.cpu is not None else None)
        if completed.returncode != 0:
            raise SystemExit("process %d failed (status %d):\n%s" % (index, completed.returncode,
                                                                    completed.stderr[-2000:]))
        times = json.loads(completed.stdout.splitlines()[-1])
        for kind in KINDS:
            medians[kind].append(statistics.median(times[kind]))
        print("process %d: %s" % (index, ", ".join("%s %.1f µs" % (kind, medians[kind][-1]) for kind in KINDS)))
    print("%s, %d processes x %d blocks x %d calls per kind, %g ms apart%s:" % (
        os.path.basename(os.path.dirname(os.path.abspath(handler_text.rpartition(":")[0]))), arguments.processes,
        arguments.blocks, arguments.calls, arguments.gap_ms,
        ", on CPU %d" % arguments.cpu if arguments.cpu is not None else ""))
    print("| work between calls | next call (median) | difference to none, within a process (median) |")
    print("|---|---|---|")
    for kind in KINDS:
        within = statistics.median(m - n for m, n in zip(medians[kind], medians["none"]))
        print("| %s | %.1f µs | %+.1f µs |" % (kind, statistics.median(medians[kind]), within))


if __name__ == "__main__":
    main()
