import json


def call(name, *args):
    return globals()[name](*args)


def dump(x):
    return json.dumps(x)
