"""One cold start, inside a fresh interpreter started by the runner (coldspy.runner).

The runner hands over a spec as a marshal file (marshal is built in: reading it imports nothing the handler
might import itself) and gets back a JSON result file. The child never writes to stdout or stderr of its own
accord: those belong to the handler; the only exception is the handler's own init traceback.
"""

import marshal
import sys
import time

from coldspy.agent import Agent, Memory
from coldspy.context import LambdaContext

EXIT_SETUP_ERROR = 3  # the runner turns a result with "setupError" into its own message


class Stopwatch:
    """The agent's interface without the agent: times init and invocations only (the benchmark baseline)."""

    def __init__(self):
        self.errors = []
        self.memory = Memory()
        self.usage_signal = "none"
        self._records = []
        self._started = 0
        self.init_us = 0

    def start(self):
        self._started = time.perf_counter_ns()

    def end_init(self):
        self.init_us = (time.perf_counter_ns() - self._started) // 1000

    def invoke(self, handler, event, context, event_name):
        started = time.perf_counter_ns()
        try:
            return handler(event, context)
        finally:
            self._records.append({"index": len(self._records), "event": event_name,
                                  "durationUs": (time.perf_counter_ns() - started) // 1000})

    def finish(self):
        pass

    def snapshot(self):
        return {"initUs": self.init_us, "initPeakRssBytes": self.memory.peak(), "invocations": self._records,
                "errors": [], "usageSignal": "none", "memoryMethod": self.memory.method}


def _write_result(path, result):
    import json  # only now: the handler had its chance to import json itself

    with open(path, "w", encoding="utf-8") as out:
        json.dump(result, out)


def main(spec_path):
    with open(spec_path, "rb") as spec_file:
        spec = marshal.load(spec_file)
    root = spec["root"]
    sys.path[0] = root  # as Lambda puts the task root first
    if spec["profile"]:
        agent = Agent(spec["intervalUs"], spec["clock"], spec["usageSignal"])
    else:
        agent = Stopwatch()
    result = {"environment": None, "record": None, "setupError": None}
    exit_status = 0

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

    agent.finish()
    try:
        result["record"] = agent.snapshot()
        from coldspy.document import environment_facts  # only now, for the same reason as json

        result["environment"] = environment_facts()
    except Exception as exc:  # fail open: the runner reports what is missing
        result["setupError"] = {"kind": "agent", "message": "the agent could not assemble its record: %s: %s"
                                % (type(exc).__name__, exc)}
    _write_result(spec["result"], result)
    if exit_status:
        sys.exit(exit_status)  # the handler's own exit status passes through
