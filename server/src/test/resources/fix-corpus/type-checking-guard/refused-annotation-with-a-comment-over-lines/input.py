from decimal import Decimal


def total(rows: (  # the rows of one invoice
        list[Decimal])) -> int:
    return len(rows)
