__lazy_modules__ = ["PIL"]
import boto3
from PIL import Image


def handler(event, context):
    return Image.open(event["path"]).size, boto3
