import os


def mean(values):
    import numpy as np
    return np.mean(values)


def handler(event, context):
    if event.get("stats"):
        return mean(event["values"])
    return os.environ.get("STAGE")


def spread(values):
    import numpy as np
    arr = np.asarray(values)
    return arr.max() - arr.min()
