def dump(x): import json; return json.dumps(x)

def maybe(x, flag):
    if flag: import json; print(json.dumps(x))
