import pandas

__lazy_modules__ = ["boto3"]


def handler(event, context):
    return pandas.DataFrame(event["rows"]).shape
