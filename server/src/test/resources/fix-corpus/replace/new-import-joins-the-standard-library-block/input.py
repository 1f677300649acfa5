"""Office ranges."""
import ipaddress
import json

from pkg_resources import resource_filename

RANGES_FILE = resource_filename("enrichment", "data/office_ranges.json")


def networks():
    with open(RANGES_FILE, encoding="utf-8") as ranges:
        return [ipaddress.ip_network(cidr) for cidr in json.load(ranges)]
