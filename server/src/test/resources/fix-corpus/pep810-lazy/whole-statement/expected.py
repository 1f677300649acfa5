import boto3
lazy from PIL import Image


def handler(event, context):
    return Image.open(event["path"]).size, boto3
