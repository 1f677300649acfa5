from __future__ import annotations

from typing import TYPE_CHECKING

from pandas import DataFrame

if TYPE_CHECKING:
    from numpy import ndarray


def rows(frame: DataFrame, extra: ndarray) -> int:
    return len(extra)
