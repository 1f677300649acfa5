from collections import (
    OrderedDict,
)

D = OrderedDict()
