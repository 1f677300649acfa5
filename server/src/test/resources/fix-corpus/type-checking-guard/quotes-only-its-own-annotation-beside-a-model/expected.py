from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from pandas import DataFrame


class Order(BaseModel):
    id: int
    total: float


def summarise(frame: "DataFrame") -> dict:
    return {"rows": len(frame)}
