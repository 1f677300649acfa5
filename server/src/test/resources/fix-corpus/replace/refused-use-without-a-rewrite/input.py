import pkg_resources


def plugins():
    return [ep.load() for ep in pkg_resources.iter_entry_points("app.plugins")]
