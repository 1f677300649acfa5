"""`import coldspy.auto` — put it first in a Lambda handler module to profile each execution environment.

The import starts the agent inside the handler module's own import (the init phase; also from a module the
handler module imports). The init phase ends when the Lambda runtime looks the handler function up on the
finished module (awslambdaric does `getattr(module, function)` right after the import): the module's class
is swapped for one that notices that lookup, hands out the profiled handler to every lookup until the first
invocation starts, and then swaps itself back. The extension that writes after each response registers at
that first lookup. Outside Lambda (no AWS_LAMBDA_FUNCTION_NAME / AWS_LAMBDA_RUNTIME_API) the import does
nothing. See coldspy.lambda_runtime.
"""

import sys

from coldspy import lambda_runtime
from coldspy.agent import import_under_way


def _body_running(module):
    """Whether the module's body is executing somewhere up this thread's stack (its import is under way)."""
    namespace = object.__getattribute__(module, "__dict__")
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals is namespace and frame.f_code.co_name == "<module>":
            return True
        frame = frame.f_back
    return False


def _watch_handler_lookup(session, module, function):
    """Hands out the profiled handler for every lookup of `function` on `module` until the first invocation
    starts (something other than the runtime may look first), ends init and registers the extension at the
    first lookup made outside any import (the runtime's comes after its import_module returned; a package's
    `from .app import handler` is part of init), and gives the module its own class back at the first
    invocation. A call of the profiled handler before init has ended (a warm-up call made while importing) is
    part of init: it runs the handler as it is."""
    module_type = type(module)  # the module's own class: the app may have given it one
    found = []  # the profiled handler of the function last looked up
    looked_up = []  # not empty once init has ended

    def profiled(handler):
        def profiled_handler(event, context):
            if not looked_up:
                return handler(event, context)
            if type(module) is HandlerModule:
                module.__class__ = module_type
            return session.invoke(handler, event, context)

        profiled_handler.__wrapped__ = handler
        profiled_handler.__name__ = getattr(handler, "__name__", function)
        profiled_handler.__doc__ = getattr(handler, "__doc__", None)
        return profiled_handler

    class HandlerModule(module_type):
        def __getattribute__(self, name):
            if name != function:
                return module_type.__getattribute__(self, name)
            handler = module_type.__getattribute__(self, name)
            # A lookup during an import (a module the handler module imports registers the handler, a package
            # imports it from its module) is not the runtime's: init goes on.
            if not looked_up and not import_under_way(sys._getframe(1)):
                looked_up.append(True)
                session.end_init()
                if callable(handler):
                    # Now that every lookup gets the profiled handler, which tells the extension when each
                    # invocation has finished: registered earlier, an invocation that bypassed it would hold
                    # the environment's freeze until the function's timeout.
                    session.start_post_response()
            if not callable(handler):
                return handler  # the runtime reports it as usual
            if not found or found[0].__wrapped__ is not handler:
                found[:] = [profiled(handler)]
            return found[0]

    module.__class__ = HandlerModule


def _start():
    if lambda_runtime.ACTIVE or not lambda_runtime.in_lambda():
        return
    text = lambda_runtime.handler_text()
    module_name, function = lambda_runtime.split_handler(text)
    # This import runs inside the handler module's import (from its first line, or from a module it imports):
    # the module is in sys.modules, being loaded. Elsewhere (a module imported later, at run time) the runtime
    # has looked the handler up already, and init is over: nothing to profile.
    module = sys.modules.get(module_name)
    if module is None or not _body_running(module):
        sys.stderr.write("coldspy.auto: imported outside the import of the handler module %s; not profiling\n"
                         % module_name)
        return
    session = lambda_runtime.LambdaSession(text)
    session.start(enclosing_module=module_name, post_response=False)
    _watch_handler_lookup(session, module, function)


try:
    _start()
except Exception as _exc:  # fail open: a broken agent must not break the function
    if lambda_runtime.ACTIVE:
        lambda_runtime.ACTIVE[-1].agent.note_error("coldspy.auto: %s: %s" % (type(_exc).__name__, _exc))
