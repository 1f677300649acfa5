from decimal import Decimal, localcontext, ROUND_HALF_UP

PRICE = Decimal("1.10")


def total(items):
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        return sum(items, PRICE)
