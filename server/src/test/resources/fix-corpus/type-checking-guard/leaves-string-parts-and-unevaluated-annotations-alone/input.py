from typing import Optional

from decimal import Decimal


def parse(value: Optional["Decimal"]) -> None:
    result: Decimal = value
    return None
