import importlib.resources


def load(name):
    return importlib.resources.files("app").joinpath("data/" + name).read_bytes().decode()
