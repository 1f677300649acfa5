import json


def check(record):
    if record.get("eventName") == "PutBucketPolicy":
        from policyuniverse.policy import Policy  # pinned to 1.5: 1.6 changed is_internet_accessible
        return Policy(record["policy"]).is_internet_accessible()
    return json.dumps(record) == ""
