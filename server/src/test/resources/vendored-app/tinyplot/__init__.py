"""A small plotting library, installed next to the handler with `pip install -t .` as minigraph's dependency."""


def palette(count):
    return [i / count for i in range(count)]
