from pkg_resources import resource_string


def load(name):
    return resource_string("app", "data/" + name).decode()
