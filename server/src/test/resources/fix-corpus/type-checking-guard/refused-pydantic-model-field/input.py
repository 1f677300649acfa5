from __future__ import annotations
from datetime import datetime
from pydantic import BaseModel


class Event(BaseModel):
    at: datetime
