import yaml


def load(text):
    """Parse the config, if there is one."""
    if not text:
        return {}
    text = text.strip()
    return yaml.safe_load(text)
