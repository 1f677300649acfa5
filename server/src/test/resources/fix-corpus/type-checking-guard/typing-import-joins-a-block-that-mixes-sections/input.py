import os
import requests
from mypy_boto3_s3.client import S3Client


def bucket(client: S3Client) -> str:
    return requests.utils.quote(os.environ["BUCKET"])
