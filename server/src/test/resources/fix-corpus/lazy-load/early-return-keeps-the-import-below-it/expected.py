def load(text):
    """Parse the config, if there is one."""
    if not text:
        return {}
    import yaml
    text = text.strip()
    return yaml.safe_load(text)
