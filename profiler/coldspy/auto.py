"""`import coldspy.auto` — put it first in a Lambda handler module to profile each execution environment.

The import starts the agent inside the handler module's own import (the init phase; also from a module the
handler module imports, or one its package imports first: a monitoring layer whose handler, set as the
runtime's, lives in a package that imports the application's module while it imports, as Datadog's does with
its tracer on). The init phase ends when the Lambda runtime looks the handler function up on the
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

    def is_invocation():
        if not looked_up:
            return False
        if type(module) is HandlerModule:
            module.__class__ = module_type
        return True

    def profiled(handler):
        profiled_handler = session.profiled(handler, is_invocation)
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


def _when_put_on_its_package(name, install):
    """Calls `install(module)` once the import of `name`, under way but not yet loading it (an ancestor package
    of it is still importing), has put the module on its package: the import machinery's last step, before it
    returns the module to the runtime, which then looks the handler up. The package's class is swapped for one
    that notices that attribute, and swapped back then. A package that is not imported yet is waited for the
    same way, from its own package."""
    package_name, _, child = name.rpartition(".")
    package = sys.modules.get(package_name)
    if package is None:
        _when_put_on_its_package(package_name, lambda found: _watch_child(found, child, name, install))
    else:
        _watch_child(package, child, name, install)


def _watch_child(package, child, name, install):
    """Calls `install(module)` once the module `name` is set on `package` as `child`: at once when it is there
    already (the package's own `__init__` imported it), else when the import machinery sets it."""
    ticket = [True]  # whoever pops it installs: two threads' imports may set the attribute at once
    module = sys.modules.get(name)
    if module is not None and object.__getattribute__(package, "__dict__").get(child) is module:
        _install_once(ticket, install, module)
        return
    package_type = type(package)

    class PackageAwaitingChild(package_type):
        def __setattr__(self, attribute, value):
            package_type.__setattr__(self, attribute, value)
            if attribute == child and value is sys.modules.get(name):
                def restore_package():
                    if type(self) is PackageAwaitingChild:  # not when the package has taken another class since
                        package_type.__setattr__(self, "__class__", package_type)

                _install_once(ticket, install, value, restore_package)

    package.__class__ = PackageAwaitingChild


def _install_once(ticket, install, module, restore_package=None):
    """`restore_package()` (the package's own class back), then `install(module)`, by the first caller only.
    Inside the runtime's import: an error is noted, never raised there."""
    try:
        ticket.pop()
    except IndexError:
        return
    try:
        if restore_package is not None:
            restore_package()
        install(module)
    except Exception as exc:
        if lambda_runtime.ACTIVE:
            lambda_runtime.ACTIVE[-1].agent.note_error("coldspy.auto: %s: %s" % (type(exc).__name__, exc))


def _import_under_way(module_name):
    """Whether the handler module's import is running up this thread's stack: its body, or the body of a
    package above it (imported first, as part of the same import)."""
    parts = module_name.split(".")
    for length in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:length]))
        if module is not None and _body_running(module):
            return True
    return False


def _start():
    if lambda_runtime.ACTIVE or not lambda_runtime.in_lambda():
        return
    text = lambda_runtime.handler_text()
    module_name, function = lambda_runtime.split_handler(text)
    # This import runs inside the handler module's import (from its first line, or from a module it imports, or
    # from its package's): the module is in sys.modules, being loaded, or will be once its package is.
    # Elsewhere (a module imported later, at run time) the runtime has looked the handler up already, and init
    # is over: nothing to profile.
    if not _import_under_way(module_name):
        sys.stderr.write("coldspy.auto: imported outside the import of the handler module %s; not profiling (a"
                         " handler module that is imported some other way is profiled through the exec wrapper,"
                         " see the profiler's README)\n" % module_name)
        return
    session = lambda_runtime.LambdaSession(text)
    session.start(enclosing_module=module_name, post_response=False)
    module = sys.modules.get(module_name)
    if module is None:
        _when_put_on_its_package(module_name, lambda found: _watch_handler_lookup(session, found, function))
    else:
        _watch_handler_lookup(session, module, function)


try:
    _start()
except Exception as _exc:  # fail open: a broken agent must not break the function
    if lambda_runtime.ACTIVE:
        lambda_runtime.ACTIVE[-1].agent.note_error("coldspy.auto: %s: %s" % (type(_exc).__name__, _exc))
