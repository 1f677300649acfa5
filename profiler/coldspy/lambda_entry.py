"""The handler the exec wrapper (profiler/bin/coldspy-wrapper) points the Lambda runtime at.

Importing this module is the function's init phase: it starts the agent, imports the real handler module
(`$COLDSPY_ORIGINAL_HANDLER`, in the runtime's `module.function` / `dir/module.function` form) and looks the
function up; `handler` then runs each invocation under the agent. An exception of the real handler's import
propagates unchanged, so Lambda reports the function's own init error. An agent that cannot start leaves the
function to run without it (one line on stderr says why).
"""

import sys

from coldspy import lambda_runtime

_handler_text = lambda_runtime.handler_text()
_module_name, _function_name = lambda_runtime.split_handler(_handler_text)
try:
    _session = lambda_runtime.LambdaSession(_handler_text)
    _session.start()
except Exception as _exc:  # fail open: the function runs, unprofiled
    sys.stderr.write("coldspy: the agent did not start (%s: %s); the function runs without it\n" % (
        type(_exc).__name__, _exc))
    _session = None
try:
    __import__(_module_name)
    _handler = getattr(sys.modules[_module_name], _function_name)
except BaseException as _exc:
    if _session is not None:
        try:
            _session.init_failed(_exc)
        except Exception:
            pass  # the function's own error is what Lambda must report
    raise
if _session is not None:
    _session.end_init()
    handler = _session.profiled(_handler)
else:
    handler = _handler  # the runtime calls the function itself
