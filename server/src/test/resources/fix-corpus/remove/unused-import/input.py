import os
import json


def handler(event, context):
    return os.environ["STAGE"]
