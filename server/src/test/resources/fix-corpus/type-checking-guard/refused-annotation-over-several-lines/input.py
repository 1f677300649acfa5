from decimal import Decimal


def totals(rows: dict[
        str,
        Decimal]) -> int:
    return len(rows)
