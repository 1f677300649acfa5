from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from decimal import Decimal

RATE: "Decimal"


class Invoice:
    total: "Optional[Decimal]" = None


def totals(rows: "list[Decimal]", *extra: "Decimal") -> "dict[str, Decimal]":
    running: Decimal = 0
    return {"sum": sum(rows) + running}
