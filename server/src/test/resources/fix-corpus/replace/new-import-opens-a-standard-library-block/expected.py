import importlib.resources

import requests

from . import settings

CA_BUNDLE = str(importlib.resources.files(__name__).joinpath("ca.pem"))


def fetch(url):
    return requests.get(url, verify=CA_BUNDLE, timeout=settings.TIMEOUT)
