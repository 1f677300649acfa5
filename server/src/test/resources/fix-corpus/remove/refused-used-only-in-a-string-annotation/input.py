from policyuniverse.policy import Policy


def f(p: "Policy"):
    return p
