"""A small graph library, installed next to the handler with `pip install -t .`."""
from .graph import Graph
from .drawing import plot

__all__ = ["Graph", "plot"]
