"""Helpers."""
import ipaddress
import json

import pathlib2


def parse(text):
    return json.loads(text), ipaddress.ip_address(text)
