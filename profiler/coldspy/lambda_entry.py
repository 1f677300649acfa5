"""The handler the exec wrapper (profiler/bin/coldspy-wrapper) points the Lambda runtime at.

Importing this module is the function's init phase: it starts the agent, imports the real handler module
(`$COLDSPY_ORIGINAL_HANDLER`, in the runtime's `module.function` / `dir/module.function` form) and looks the
function up; `handler` then runs each invocation under the agent. An exception of the real handler's import
propagates unchanged, so Lambda reports the function's own init error.
"""

import sys

from coldspy import lambda_runtime

_session = lambda_runtime.LambdaSession(lambda_runtime.handler_text())
_module_name, _function_name = lambda_runtime.split_handler(_session.handler_text)
_session.start()
try:
    __import__(_module_name)
    _handler = getattr(sys.modules[_module_name], _function_name)
except BaseException as _exc:
    _session.init_failed(_exc)
    raise
_session.end_init()


def handler(event, context):
    return _session.invoke(_handler, event, context)
