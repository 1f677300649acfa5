from __future__ import annotations

import hashlib
import hmac
from boto3.session import Session


def verify(secret: bytes, body: bytes, header: str) -> bool:
    signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, header)


def client(session: Session) -> object:
    return session.client("s3")
