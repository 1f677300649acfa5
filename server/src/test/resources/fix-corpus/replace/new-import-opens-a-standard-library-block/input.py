import requests
from pkg_resources import resource_filename

from . import settings

CA_BUNDLE = resource_filename(__name__, "ca.pem")


def fetch(url):
    return requests.get(url, verify=CA_BUNDLE, timeout=settings.TIMEOUT)
