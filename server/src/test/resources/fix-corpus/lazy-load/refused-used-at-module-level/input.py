import json
CONFIG = json.loads("{}")


def handler(event, context):
    return json.dumps(event)
