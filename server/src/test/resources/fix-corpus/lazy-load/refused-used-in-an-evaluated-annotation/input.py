from policyuniverse.policy import Policy


def check(policy: Policy):
    return Policy(policy).is_internet_accessible()
