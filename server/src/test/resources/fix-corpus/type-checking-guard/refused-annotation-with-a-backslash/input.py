from typing import Literal

from decimal import Decimal


def parse(value: Decimal | Literal["a\\b"]) -> None:
    return None
