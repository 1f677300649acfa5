"""Order events."""
import json
import os

from rich.console import Console
from rich.table import Table

DEBUG = os.environ.get("DEBUG") == "1"


def debug_dump(order_id, record):
    """Pretty-print what is about to be stored."""
    console = Console(stderr=True, width=100)
    table = Table(title=f"order {order_id}")
    for key, value in sorted(record.items()):
        table.add_row(key, str(value))
    console.print(table)


def handler(event, context):
    if DEBUG:
        debug_dump(event["id"], event)
    return json.dumps(event)
