import pathlib2


def path_matches_any(text, patterns):
    if not isinstance(text, str):
        return False
    return any(pathlib2.PurePath(text).match(pattern) for pattern in patterns)
