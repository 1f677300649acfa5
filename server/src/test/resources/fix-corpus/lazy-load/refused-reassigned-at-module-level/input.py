import json
json = None


def f():
    return json
