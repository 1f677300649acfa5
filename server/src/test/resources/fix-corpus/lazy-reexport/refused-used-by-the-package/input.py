"""A small graph library."""
from .drawing import palette


DEFAULT_COLOURS = palette(8)
