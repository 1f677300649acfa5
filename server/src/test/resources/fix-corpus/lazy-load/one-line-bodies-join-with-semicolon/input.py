import json

def dump(x): return json.dumps(x)

def maybe(x, flag):
    if flag: print(json.dumps(x))
