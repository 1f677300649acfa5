from typing import Optional

from decimal import Decimal

RATE: Decimal


class Invoice:
    total: Optional[Decimal] = None


def totals(rows: list[Decimal], *extra: Decimal) -> dict[str, Decimal]:
    running: Decimal = 0
    return {"sum": sum(rows) + running}
