"""`import coldspy.auto` — put it first in a Lambda handler module to profile each execution environment.

The import starts the agent inside the handler module's own import (the init phase). The init phase ends
when the Lambda runtime looks the handler function up on the finished module (awslambdaric does
`getattr(module, function)` right after the import): the module's class is swapped for one that notices
that lookup, hands out the profiled handler and then swaps itself back. Outside Lambda (no
AWS_LAMBDA_FUNCTION_NAME / AWS_LAMBDA_RUNTIME_API) the import does nothing. See coldspy.lambda_runtime.
"""

import sys

from coldspy import lambda_runtime
from coldspy.agent import first_outside_imports


def _importing_module():
    """The name of the module whose body is executing `import coldspy.auto`."""
    frame = first_outside_imports(sys._getframe(1))
    return frame.f_globals.get("__name__") if frame is not None else None


def _watch_handler_lookup(session, module, function):
    module_type = type(sys)

    class HandlerModule(module_type):
        def __getattribute__(self, name):
            if name != function:
                return module_type.__getattribute__(self, name)
            self.__class__ = module_type
            handler = module_type.__getattribute__(self, name)
            session.end_init()
            if not callable(handler):
                return handler  # the runtime reports it as usual

            def profiled_handler(event, context):
                return session.invoke(handler, event, context)

            profiled_handler.__wrapped__ = handler
            profiled_handler.__name__ = getattr(handler, "__name__", function)
            profiled_handler.__doc__ = getattr(handler, "__doc__", None)
            return profiled_handler

    module.__class__ = HandlerModule


def _start():
    if lambda_runtime.ACTIVE or not lambda_runtime.in_lambda():
        return
    text = lambda_runtime.handler_text()
    _module_name, function = lambda_runtime.split_handler(text)
    name = _importing_module()
    module = sys.modules.get(name) if name else None
    session = lambda_runtime.LambdaSession(text)
    session.start(enclosing_module=name)
    if module is None:
        session.agent.note_error("coldspy.auto: could not find the module importing it; init end unknown")
        return
    _watch_handler_lookup(session, module, function)


try:
    _start()
except Exception as _exc:  # fail open: a broken agent must not break the function
    if lambda_runtime.ACTIVE:
        lambda_runtime.ACTIVE[-1].agent.note_error("coldspy.auto: %s: %s" % (type(_exc).__name__, _exc))
