"""What the managed Python runtime starts (/var/runtime/bootstrap.py): Lambda's runtime interface client,
awslambdaric, with the handler named by $_HANDLER, which an exec wrapper may have changed, talking to the Runtime
API at $AWS_LAMBDA_RUNTIME_API. The client is the real one from PyPI; the API is profiler/tests/runtime_api.py."""

import os
import sys

from awslambdaric.__main__ import main

main([sys.argv[0], os.environ["_HANDLER"]])
