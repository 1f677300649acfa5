from reportlab.lib import (
    colors,  # brand palette
    pagesizes,
    units,
)


def page():
    return pagesizes.A4, units.cm


BRAND = colors.red
