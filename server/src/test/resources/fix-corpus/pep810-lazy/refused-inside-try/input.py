try:
    import orjson
except ValueError:
    orjson = None
