import os
import json

def f():
    return os.sep
