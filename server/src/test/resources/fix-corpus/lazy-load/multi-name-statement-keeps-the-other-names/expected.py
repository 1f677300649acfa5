from decimal import Decimal

PRICE = Decimal("1.10")


def total(items):
    from decimal import localcontext, ROUND_HALF_UP
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        return sum(items, PRICE)
