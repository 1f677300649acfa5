"""A small graph library."""
from .graph import Graph


def __getattr__(name):
    # Deferred by ColdSpy (PEP 562): `.drawing` is imported on first access, not with the package.
    if name in ("DrawingPlot", "drawing", "plot"):
        from .drawing import plot, Plot as DrawingPlot
        globals().update(plot=plot, DrawingPlot=DrawingPlot)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"DrawingPlot", "drawing", "plot"})

__all__ = ["Graph", "plot"]
