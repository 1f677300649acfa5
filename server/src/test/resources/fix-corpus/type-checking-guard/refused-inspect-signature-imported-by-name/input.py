from __future__ import annotations

from boto3.session import Session
from inspect import signature


def client(session: Session) -> object:
    return session.client("s3")


PARAMETERS = signature(client).parameters
