def load(text, strict):
    import yaml
    if strict:
        return yaml.safe_load(text)
    else:
        return yaml.load(text, Loader=yaml.FullLoader)
