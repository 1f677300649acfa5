import sys

if sys.version_info < (3, 8):
    import importlib_metadata
