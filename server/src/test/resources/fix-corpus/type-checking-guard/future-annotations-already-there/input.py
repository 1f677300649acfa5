from __future__ import annotations

from boto3.session import Session


def client(session: Session) -> object:
    return session.client("s3")
