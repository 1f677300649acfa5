from __future__ import annotations

import json
import os

from botocore.client import BaseClient

from . import geo

STREAM = os.environ.get("AUDIT_STREAM")


def send(client: BaseClient, records: list) -> dict:
    return {"stream": STREAM, "body": json.dumps(records), "office": geo.OFFICE}
