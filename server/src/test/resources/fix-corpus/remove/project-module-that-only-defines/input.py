import json
from myapp import csv_parsers


def handler(event, context):
    return json.dumps(event)
