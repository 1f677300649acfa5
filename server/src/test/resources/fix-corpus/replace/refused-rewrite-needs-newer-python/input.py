import importlib_resources


def data():
    return importlib_resources.files("app")
