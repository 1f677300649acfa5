from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from botocore.client import BaseClient


def handler(event: dict, context: LambdaContext, client: BaseClient = None) -> dict:
    return event
