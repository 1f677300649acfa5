import sys

if sys.version_info < (3, 8):
    # Python 3.7 has no importlib.metadata:
    # the backport provides it.
    # Drop this block with 3.7 support,
    # see the changelog.
    import importlib_metadata
