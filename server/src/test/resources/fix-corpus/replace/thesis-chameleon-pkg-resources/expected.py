import importlib.metadata
import importlib.resources
import os


def template_path(name):
    return str(importlib.resources.files(__name__).joinpath(os.path.join("templates", name)))


def version():
    return importlib.metadata.version("chameleon")
