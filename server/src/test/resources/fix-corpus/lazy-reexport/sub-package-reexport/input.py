"""A small graph library."""
from .graph import Graph
from .drawing import plot, Plot as DrawingPlot

__all__ = ["Graph", "plot"]
