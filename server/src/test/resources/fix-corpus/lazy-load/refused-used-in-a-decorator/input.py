import functools


@functools.lru_cache(maxsize=None)
def load():
    return 1
