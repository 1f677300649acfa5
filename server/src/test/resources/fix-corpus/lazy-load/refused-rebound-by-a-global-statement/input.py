import json


def use_fast():
    global json
    import ujson as json


def dump(x):
    return json.dumps(x)
