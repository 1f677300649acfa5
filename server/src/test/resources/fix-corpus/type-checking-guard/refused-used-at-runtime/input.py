from __future__ import annotations
from decimal import Decimal


def f(x: Decimal) -> bool:
    return isinstance(x, Decimal)
