import pandas


def row(d):
    return pandas.DataFrame([d])
