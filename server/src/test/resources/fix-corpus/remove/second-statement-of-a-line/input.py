import json; import pandas


def handler(event, context):
    return json.dumps(event)
