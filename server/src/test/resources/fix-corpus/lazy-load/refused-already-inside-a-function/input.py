def handler(event, context):
    import json
    return json.dumps(event)
