import json


def handler(event, context):
    return event
