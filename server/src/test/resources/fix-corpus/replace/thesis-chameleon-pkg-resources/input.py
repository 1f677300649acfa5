import os
import pkg_resources


def template_path(name):
    return pkg_resources.resource_filename(__name__, os.path.join("templates", name))


def version():
    return pkg_resources.get_distribution("chameleon").version
