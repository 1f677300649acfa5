import json
import myapp.audit_hooks as audit_hooks


def handler(event, context):
    return json.dumps(event)
