import json

dump = lambda x: json.dumps(x)
