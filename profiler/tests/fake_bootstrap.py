"""A stand-in for the AWS Lambda Python runtime (awslambdaric's bootstrap), for the Lambda-mode tests.

Like the real runtime it puts $LAMBDA_TASK_ROOT first on sys.path, imports the module named by $_HANDLER
with importlib.import_module, looks the function up with getattr, then calls it once per event. Usage:
    fake_bootstrap.py REPORT.json EVENT.json...
REPORT.json receives, per invocation, the returned value or the exception type, and how many invocations
the newest ColdSpy profile in $COLDSPY_OUTPUT_DIR held when the response was there and after the freeze (to
check the write schedule, and which side of the response a write falls on).
With FAKE_BOOTSTRAP_SIGTERM=1 the process then sends itself SIGTERM, as Lambda does before shutting an
environment down. With FAKE_BOOTSTRAP_EXTENSIONS_API=1 it also serves the Extensions API on loopback
(AWS_LAMBDA_RUNTIME_API) and, as Lambda does, sends each invocation's INVOKE event to a registered extension
and "freezes" (goes on to the next event, or ends) only once that extension has asked for its next event; after
an init error it waits for a registered extension's first request ("extensionAsked" in the report).
"""

import glob
import importlib
import json
import os
import signal
import sys


class Context:
    """The attributes awslambdaric's LambdaContext has: libraries such as Powertools' Logger read them all."""

    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "fake")
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:%s" % function_name
    memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/%s" % function_name
    log_stream_name = "fake"
    identity = None
    client_context = None

    def get_remaining_time_in_millis(self):
        return 3000


def invocations_in_newest_profile():
    profiles = sorted(glob.glob(os.path.join(os.environ.get("COLDSPY_OUTPUT_DIR", "/tmp"), "coldspy-*.json")),
                      key=os.path.getmtime)
    if not profiles:
        return None
    with open(profiles[-1]) as source:
        return len(json.load(source)["coldStarts"][0]["invocations"])


def main(report_path, *event_paths):
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    report = {"init": None, "invocations": []}
    extensions_api = None
    if os.environ.get("FAKE_BOOTSTRAP_EXTENSIONS_API") == "1":
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
        from extensions_api import ExtensionsApi

        extensions_api = ExtensionsApi()
        os.environ["AWS_LAMBDA_RUNTIME_API"] = extensions_api.address
    try:
        module = importlib.import_module(module_name.replace("/", "."))
        handler = getattr(module, function_name)
    except Exception as exc:
        report["init"] = type(exc).__name__
        if extensions_api is not None and extensions_api.registered:
            # Lambda ends init once the runtime and every registered extension have asked for their next
            # event: an extension that never asks would hold the failed environment until init's timeout.
            extensions_api.wait_for_next_call(1, timeout=10)
            report["extensionAsked"] = True
        with open(report_path, "w") as out:
            json.dump(report, out)
        return 1
    report["extensionRegistered"] = extensions_api is not None and extensions_api.registered
    for number, path in enumerate(event_paths, 1):
        with open(path) as source:
            event = json.load(source)
        try:
            outcome = {"returned": handler(event, Context())}
        except Exception as exc:
            outcome = {"raised": type(exc).__name__}
        outcome["profiledAtResponse"] = invocations_in_newest_profile()
        if report["extensionRegistered"]:
            # The extension gets its INVOKE event only now (Lambda may deliver it any time from the
            # invocation's start): it cannot act before the response was looked at.
            extensions_api.invoke()
            extensions_api.wait_for_next_call(number + 1)  # the freeze
        outcome["profiledInvocations"] = invocations_in_newest_profile()
        report["invocations"].append(outcome)
    with open(report_path, "w") as out:
        json.dump(report, out)
    if os.environ.get("FAKE_BOOTSTRAP_SIGTERM") == "1":
        os.kill(os.getpid(), signal.SIGTERM)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
