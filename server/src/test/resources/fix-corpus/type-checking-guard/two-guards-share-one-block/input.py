from __future__ import annotations

from botocore.client import BaseClient
from aws_lambda_powertools.utilities.typing import LambdaContext


def handler(event: dict, context: LambdaContext, client: BaseClient = None) -> dict:
    return event
