from os.path import *


def where(p):
    return join(p, "x")
