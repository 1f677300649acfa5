from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from numpy import ndarray
    from pandas import DataFrame


def rows(frame: DataFrame, extra: ndarray) -> int:
    return len(extra)
