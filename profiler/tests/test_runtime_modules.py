"""A local cold start finds loaded what AWS Lambda's runtime has loaded before it imports a handler, so that a
handler's import of one of those costs nothing in the profile, as it costs nothing in Lambda."""

import ast
import os

from conftest import REPO_DIR, module, profile_app, write_app

from coldspy.context import LAMBDA_RUNTIME_MODULES

COLD_START = os.path.join(REPO_DIR, "server", "src", "main", "resources", "dev", "coldspy", "verify", "cold_start.py")


def test_an_import_of_the_runtimes_modules_costs_the_handler_nothing(tmp_path, python):
    root = write_app(tmp_path, {
        "handler.py": """
            import logging
            from decimal import Decimal
            import colorsys

            log = logging.getLogger(__name__)


            def handler(event, context):
                log.info("event %s", event)
                return str(Decimal("1.5") + 1), colorsys.rgb_to_hsv(0.1, 0.2, 0.3)[0] > 0
            """,
        "events/a.json": {"n": 1},
    })
    profile = profile_app(root, python=python)
    cold_start = profile["coldStarts"][0]
    recorded = {m["name"] for m in cold_start["modules"]}
    # Loaded before the handler: logging and what it brings (threading, traceback), decimal.
    assert not recorded & {"logging", "threading", "traceback", "decimal", "_decimal", "json"}, sorted(recorded)
    # What the runtime has not loaded is the handler's to pay, with its line.
    assert module(cold_start, "colorsys")["trigger"]["line"] == 3
    assert cold_start["invocations"][0]["outcome"] == "return"


def test_verify_loads_the_same_runtime_modules_as_the_agents_local_cold_starts():
    with open(COLD_START, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    assigned = [node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(target, "id", None) == "LAMBDA_RUNTIME_MODULES" for target in node.targets)]
    assert len(assigned) == 1
    assert ast.literal_eval(assigned[0]) == LAMBDA_RUNTIME_MODULES
