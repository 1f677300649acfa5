from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from decimal import Decimal


def parse(value: 'Decimal | Literal["auto"]') -> None:
    return None
