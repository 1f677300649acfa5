from typing import (
    Any,  # used
    Callable,  # never used
    Dict,
)

X: Dict[str, Any] = {}
