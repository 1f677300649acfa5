from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boto3.session import Session


def client(session: Session) -> object:
    return session.client("s3")
