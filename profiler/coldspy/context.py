"""What AWS Lambda's runtime gives a handler, for local runs: the context object (the attributes awslambdaric's
LambdaContext has), and the modules the runtime has loaded before it imports the handler."""

import os
import sys
import time

# The standard-library modules the AWS Lambda Python runtime has loaded when it imports a handler, named by the
# top-level imports that load them all: sys.modules of awslambdaric 4.2.2 (the runtime interface client, on
# PyPI) at that moment, less its own modules and the simplejson it ships. logging brings threading, traceback,
# re, enum, weakref and string; simplejson __future__; the runtime's marshaller decimal and math. A local cold
# start loads them before the handler so that a handler's import of one costs what it costs in Lambda: nothing.
# (Started as `python -m awslambdaric`, the client also has runpy and importlib.util loaded; the runtime's own
# bootstrap calls it without -m, so those stay the handler's to pay, rather than a cost hidden.)
# profiler/tests/test_runtime_modules.py checks that `coldspy verify`'s cold_start.py loads the same.
LAMBDA_RUNTIME_MODULES = ("json", "logging", "traceback", "decimal", "math", "__future__")


def load_lambda_runtime_modules():
    for name in LAMBDA_RUNTIME_MODULES:
        __import__(name)


def request_id():
    """A random UUID4-formatted id, without importing uuid (the agent imports nothing the handler might)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return "%s-%s-%s-%s-%s" % (text[:8], text[8:12], text[12:16], text[16:20], text[20:])


class CognitoIdentity:
    cognito_identity_id = None
    cognito_identity_pool_id = None


class LambdaContext:
    """What a handler's `context` argument offers in AWS Lambda; values are local stand-ins."""

    def __init__(self, function_name, memory_limit_mb, timeout_s):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:local:000000000000:function:%s" % function_name
        # awslambdaric passes the memory size as the string it reads from the environment.
        self.memory_limit_in_mb = str(memory_limit_mb)
        self.aws_request_id = request_id()
        self.log_group_name = "/aws/lambda/%s" % function_name
        self.log_stream_name = "coldspy/local"
        self.identity = CognitoIdentity()
        self.client_context = None
        self.tenant_id = None
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def log(self, message):
        sys.stdout.write(str(message))
