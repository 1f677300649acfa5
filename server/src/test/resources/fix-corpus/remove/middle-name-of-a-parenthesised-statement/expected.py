from typing import (
    Any,  # used
    Dict,
)

X: Dict[str, Any] = {}
