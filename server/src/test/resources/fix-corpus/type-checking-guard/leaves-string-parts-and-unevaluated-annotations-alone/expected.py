from typing import Optional

from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from decimal import Decimal


def parse(value: Optional["Decimal"]) -> None:
    result: Decimal = value
    return None
