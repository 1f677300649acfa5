import yaml


def load(text, strict):
    if strict:
        return yaml.safe_load(text)
    else:
        return yaml.load(text, Loader=yaml.FullLoader)
