"""S3 helpers."""
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client


def bucket(client: "S3Client") -> str:
    return os.environ["BUCKET"]
