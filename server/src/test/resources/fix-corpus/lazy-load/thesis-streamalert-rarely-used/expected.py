"""Alert when resources are made public."""
import json
from streamalert.shared.rule import rule


@rule(logs=['cloudtrail:events'])
def cloudtrail_public_resources(rec):
    if rec['eventName'] == 'PutBucketPolicy':
        policy = rec.get('requestParameters', {}).get('bucketPolicy', None)
        if not policy:
            return False
        from policyuniverse.policy import Policy
        policy = Policy(policy)
        if policy.is_internet_accessible():
            return True
    return json.dumps(rec) == ""
