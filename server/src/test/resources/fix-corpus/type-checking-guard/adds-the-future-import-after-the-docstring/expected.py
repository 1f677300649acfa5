"""S3 helpers."""
from __future__ import annotations
import os
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client


def bucket(client: S3Client) -> str:
    return os.environ["BUCKET"]
