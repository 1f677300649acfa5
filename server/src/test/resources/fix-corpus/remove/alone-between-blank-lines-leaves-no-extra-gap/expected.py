"""Helpers."""
import ipaddress
import json


def parse(text):
    return json.loads(text), ipaddress.ip_address(text)
