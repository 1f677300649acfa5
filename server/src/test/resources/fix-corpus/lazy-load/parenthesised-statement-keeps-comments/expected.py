from reportlab.lib import (
    colors,  # brand palette
)


def page():
    from reportlab.lib import pagesizes, units
    return pagesizes.A4, units.cm


BRAND = colors.red
