try:
    import ujson as json
except ImportError:
    import json


def dump(x):
    return json.dumps(x)
