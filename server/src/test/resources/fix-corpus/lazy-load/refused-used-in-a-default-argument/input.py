import time


def stamp(now=time.time):
    return now()
