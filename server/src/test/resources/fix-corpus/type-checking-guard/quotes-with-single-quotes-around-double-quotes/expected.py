from typing import Literal

from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from decimal import Decimal


def parse(value: 'Decimal | Literal["auto"]') -> None:
    return None
