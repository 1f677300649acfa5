from __future__ import annotations

from boto3.session import Session
import inspect


def client(session: Session) -> object:
    return session.client("s3")


PARAMETERS = inspect.signature(client).parameters
