from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from decimal import Decimal


def parse(value: Optional["Decimal"]) -> None:
    result: Decimal = value
    return None
