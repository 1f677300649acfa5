"""One cold start, inside a fresh interpreter started by the runner (coldspy.runner).

The runner hands over a spec as a marshal file (marshal is built in: reading it imports nothing the handler
might import itself) and gets back a JSON result file. The child never writes to stdout or stderr of its own
accord: those belong to the handler; the only exception is the handler's own init traceback.
"""

import json
import marshal
import sys
import time

from coldspy.agent import Agent, Memory
from coldspy.context import LambdaContext, load_lambda_runtime_modules

EXIT_SETUP_ERROR = 3  # the runner turns a result with "setupError" into its own message


class NoAgent:
    """The agent's interface doing nothing: the baseline of profiler/bench/overhead.py."""

    errors = ()

    def start(self):
        pass

    def end_init(self):
        pass

    def settle(self):
        pass

    def invoke(self, handler, event, context, event_name):
        return handler(event, context)

    def finish(self):
        pass

    def snapshot(self):
        return None


def _write_result(path, result):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(result, out)


def main(spec_path):
    with open(spec_path, "rb") as spec_file:
        spec = marshal.load(spec_file)
    root = spec["root"]
    sys.path[0] = root  # as Lambda puts the task root first
    load_lambda_runtime_modules()  # as Lambda's runtime has, before the agent starts and the handler's init
    if spec["profile"]:
        agent = Agent(spec["intervalUs"], spec["clock"], spec["usageSignal"])
    else:
        agent = NoAgent()
    # Timings seen from outside the agent (its own bookkeeping included), for the overhead benchmark. CPU is
    # the main thread's (where init and the handler's calls run, on both sides): time.process_time() lags by
    # milliseconds while the agent's process-wide CPU timer is armed, and getrusage would need `resource`,
    # which the handler might import itself.
    timings = {"initWallUs": 0, "initCpuUs": 0, "invocationWallUs": [], "invocationCpuUs": [], "peakRssBytes": None}
    result = {"environment": None, "record": None, "setupError": None, "timings": timings}
    exit_status = 0
    wall, cpu = time.perf_counter_ns, time.thread_time_ns

    wall_started, cpu_started = wall(), cpu()
    agent.start()
    try:
        module = __import__(spec["module"])
        module = sys.modules.get(spec["module"], module)
    except BaseException as exc:
        agent.end_init()
        agent.finish()
        import traceback

        traceback.print_exc()  # the handler's own error: the user needs its traceback
        result["setupError"] = {"kind": "init", "message": "importing %s raised %s (traceback above)" % (
            spec["file"], type(exc).__name__)}
        _write_result(spec["result"], result)
        sys.exit(EXIT_SETUP_ERROR)
    agent.end_init()
    timings["initWallUs"] = (wall() - wall_started) // 1000
    timings["initCpuUs"] = (cpu() - cpu_started) // 1000
    settle_started = wall()
    agent.settle()  # the agent's deferred work, between the timed phases (see Agent.settle)
    settled_us = (wall() - settle_started) // 1000

    handler = getattr(module, spec["function"], None)
    if handler is None or not callable(handler):
        agent.finish()
        found = "not defined" if handler is None else "a %s, not a function" % type(handler).__name__
        result["setupError"] = {"kind": "handler",
                                "message": "%s: handler '%s' is %s" % (spec["file"], spec["function"], found)}
        _write_result(spec["result"], result)
        sys.exit(EXIT_SETUP_ERROR)

    events_path = spec["events"]
    with open(events_path, "rb") as events_file:
        events = marshal.load(events_file)
    for event_name, payload in events:
        context = LambdaContext(spec["functionName"], spec["memoryMb"], spec["timeoutS"])
        wall_started, cpu_started = wall(), cpu()
        try:
            agent.invoke(handler, payload, context, event_name)
        except Exception:
            pass  # recorded as the invocation's outcome; Lambda keeps the instance too
        except SystemExit as exc:
            exit_status = exc.code if isinstance(exc.code, int) else 1
            break
        except BaseException:
            exit_status = 1
            break
        finally:
            timings["invocationWallUs"].append((wall() - wall_started) // 1000)
            timings["invocationCpuUs"].append((cpu() - cpu_started) // 1000)
            settle_started = wall()
            agent.settle()
            settled_us += (wall() - settle_started) // 1000

    agent.finish()
    memory = Memory()
    timings["peakRssBytes"] = memory.peak()
    memory.close()
    snapshot_started = wall()
    try:
        result["record"] = agent.snapshot()
        from coldspy.document import environment_facts  # only now, for the same reason as json

        result["environment"] = environment_facts()
        timings["agentDeferredWallUs"] = settled_us + (wall() - snapshot_started) // 1000
    except Exception as exc:  # fail open: the runner reports what is missing
        result["setupError"] = {"kind": "agent", "message": "the agent could not assemble its record: %s: %s"
                                % (type(exc).__name__, exc)}
    _write_result(spec["result"], result)
    if exit_status:
        sys.exit(exit_status)  # the handler's own exit status passes through
