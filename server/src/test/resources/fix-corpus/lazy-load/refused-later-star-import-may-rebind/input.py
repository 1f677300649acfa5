from policyuniverse.policy import Policy
from rules.helpers import *


def check(record):
    return Policy(record["policy"]).is_internet_accessible()
