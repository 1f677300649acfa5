from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Context, Decimal


def rounded(values: "dict[Decimal, Context]") -> int:
    return len(values)
