"""Office ranges."""
import importlib.resources
import ipaddress
import json

RANGES_FILE = str(importlib.resources.files("enrichment").joinpath("data/office_ranges.json"))


def networks():
    with open(RANGES_FILE, encoding="utf-8") as ranges:
        return [ipaddress.ip_network(cidr) for cidr in json.load(ranges)]
