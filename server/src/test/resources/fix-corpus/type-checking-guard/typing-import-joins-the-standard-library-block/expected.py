from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from . import geo

if TYPE_CHECKING:
    from botocore.client import BaseClient

STREAM = os.environ.get("AUDIT_STREAM")


def send(client: BaseClient, records: list) -> dict:
    return {"stream": STREAM, "body": json.dumps(records), "office": geo.OFFICE}
