"""Parsers register themselves with the registry when this module is imported."""
from myapp.registry import register

SEPARATOR = ","


@register("csv")
def parse_csv(text):
    return text.split(SEPARATOR)
