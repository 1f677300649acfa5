from __future__ import annotations
from uuid import UUID


@app.get("/items/{item_id}")
def read(item_id: UUID):
    return item_id
