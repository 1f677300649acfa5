import json
import pathlib2
from legacy_compat import *


def handler(event, context):
    return json.dumps(event)
