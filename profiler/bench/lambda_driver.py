"""One Lambda execution environment for profiler/bench/lambda_mode.py, timed as the runtime sees it.

    python lambda_driver.py SPEC.json RESULT.json

Does what the AWS Lambda Python runtime does around a handler: puts $LAMBDA_TASK_ROOT first on sys.path,
imports the module named by $_HANDLER with importlib (with the exec wrapper's setting that is
coldspy.lambda_entry, which imports the real handler under the agent), looks the function up, then calls it
once per event. Events are decoded before init, as the runtime's own json is imported before the handler.
Writes {initWallUs, initCpuUs, invocationWallUs: [...]} to RESULT.json; stdout and stderr stay the handler's.
"""

import importlib
import json
import os
import sys
import time


class Context:
    def __init__(self, request):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bench")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = "00000000-0000-4000-8000-%012d" % request
        self.invoked_function_arn = "arn:aws:lambda:local:000000000000:function:bench"
        self.log_group_name = "/aws/lambda/bench"
        self.log_stream_name = "bench"

    def get_remaining_time_in_millis(self):
        return 60000


def main(spec_path, result_path):
    with open(spec_path) as source:
        spec = json.load(source)
    events = []
    for path in spec["events"]:
        with open(path) as source:
            events.append(json.load(source))
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    wall, cpu = time.perf_counter_ns, time.process_time_ns
    wall_started, cpu_started = wall(), cpu()
    handler = getattr(importlib.import_module(module_name.replace("/", ".")), function_name)
    result = {"initWallUs": (wall() - wall_started) // 1000, "initCpuUs": (cpu() - cpu_started) // 1000,
              "invocationWallUs": []}
    for request in range(spec["invocations"]):
        event = events[request % len(events)]
        context = Context(request)
        started = wall()
        try:
            handler(event, context)
        except Exception:
            pass  # the runtime reports it and keeps the environment
        result["invocationWallUs"].append((wall() - started) / 1000)
    with open(result_path, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
