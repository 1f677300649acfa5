from typing import Literal

from decimal import Decimal


def parse(value: Decimal | Literal["auto", 'fixed']) -> None:
    return None
