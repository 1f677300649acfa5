from collections import (
    OrderedDict,
    defaultdict,
    namedtuple,
)

D = OrderedDict()
