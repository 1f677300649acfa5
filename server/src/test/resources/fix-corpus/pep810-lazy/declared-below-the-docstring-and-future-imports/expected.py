"""Reports."""
from __future__ import annotations

__lazy_modules__ = ["rich.console"]
import json
import os

from rich.console import Console


def render(rows: list) -> str:
    console = Console(record=True, width=int(os.environ.get("WIDTH", "80")))
    console.print(json.dumps(rows))
    return console.export_text()
