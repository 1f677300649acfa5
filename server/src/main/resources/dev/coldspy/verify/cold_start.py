"""One cold start for `coldspy verify`, run as `python -c <this file> APP_DIR MODULE FUNCTION EVENTS FIRST RESULT`.

The interpreter is fresh: it imports the handler module from APP_DIR (init), then calls FUNCTION once per event,
starting with event number FIRST of the EVENTS file and going on in order (wrapping round), so that the cold
starts of a run begin with different events. It writes a JSON result to RESULT: the nanoseconds of init and of
each call, and each call's outcome (its return value as JSON, or the repr of a value JSON cannot hold, or the
type and message of the exception it raised). stdout and stderr belong to the handler.

Bytecode: the parent sets PYTHONDONTWRITEBYTECODE=1 and this script sets sys.dont_write_bytecode as well, so
neither side of a comparison writes caches (a run would otherwise be faster than the one before it); bytecode
already present in the app is used, as in a read-only Lambda package. The modules Lambda's runtime has loaded
when it imports a handler (LAMBDA_RUNTIME_MODULES, the agent's list in profiler/coldspy/context.py) are loaded
before the handler here too, so that neither copy pays for them at init, as neither does in Lambda.

Importing this file runs nothing: fixtures/tools/run_events.py loads it for the same LambdaContext,
qualified_name and write, so that the fixture outputs and `coldspy verify` call handlers alike.
"""
import importlib
import json
import re
import sys
import time
import traceback

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
LAMBDA_RUNTIME_MODULES = ("json", "logging", "traceback", "decimal", "math", "__future__")


class LambdaContext:
    """The attributes of AWS Lambda's context object, with fixed values so that outputs compare equal."""

    function_name = "coldspy-verify"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:coldspy-verify"
    memory_limit_in_mb = "1024"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    log_group_name = "/aws/lambda/coldspy-verify"
    log_stream_name = "coldspy/verify"
    identity = None
    client_context = None

    @staticmethod
    def get_remaining_time_in_millis():
        return 900000


def qualified_name(kind):
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else "%s.%s" % (module, kind.__qualname__)


def outcome(value):
    try:
        # sort_keys: a dict's order is not behaviour worth reporting; the round trip checks it serialises.
        return {"return": json.loads(json.dumps(value, sort_keys=True))}
    except (TypeError, ValueError, RecursionError):
        # Object addresses differ between any two processes; they are not behaviour either.
        return {"returnRepr": _ADDRESS.sub(" at 0x...", repr(value))}


def write(result, result_file):
    with open(result_file, "w", encoding="utf-8") as out:
        json.dump(result, out, sort_keys=True, ensure_ascii=False)


def main(app_dir, module_name, function_name, events_file, first, result_file):
    sys.dont_write_bytecode = True
    sys.path[0] = app_dir  # as Lambda puts the task root first
    for name in LAMBDA_RUNTIME_MODULES:
        importlib.import_module(name)
    with open(events_file, encoding="utf-8") as f:
        events = json.load(f)
    result = {"python": sys.version.split()[0], "cacheTag": sys.implementation.cache_tag}
    start = time.perf_counter_ns()
    try:
        module = importlib.import_module(module_name)
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import are failures of init too
        result["importError"] = {"type": qualified_name(type(error)), "message": str(error),
                                 "traceback": traceback.format_exc(limit=-8)}
        write(result, result_file)
        return
    result["initNs"] = time.perf_counter_ns() - start
    function = getattr(module, function_name, None)
    if not callable(function):
        result["missingFunction"] = function_name
        write(result, result_file)
        return
    context = LambdaContext()
    invocations = result["invocations"] = []
    for step in range(len(events)):
        name, event = events[(int(first) + step) % len(events)]
        start = time.perf_counter_ns()
        try:
            value = function(event, context)
        except Exception as error:
            elapsed = time.perf_counter_ns() - start
            done = {"exception": {"type": qualified_name(type(error)), "message": str(error)}}
        else:
            elapsed = time.perf_counter_ns() - start
            done = outcome(value)
        invocations.append({"event": name, "ns": elapsed, "outcome": done})
    write(result, result_file)


if __name__ == "__main__":  # `python -c` runs it as __main__
    main(*sys.argv[1:7])
