"""Entry point of a profiled child interpreter: `python .../coldspy/_boot.py SPEC`.

Run as a script (not `-m`, which would import runpy and its dependencies before the handler): Python puts
this file's directory on sys.path[0]; we point it at the directory holding the package instead.
"""
import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
from coldspy import _child  # noqa: E402

_child.main(sys.argv[1])
