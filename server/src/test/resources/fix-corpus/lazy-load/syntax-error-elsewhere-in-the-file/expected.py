def handler(event, context):
    import json
    return json.dumps(event)


def broken(:
    pass
