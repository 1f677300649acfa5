import json

import minigraph


def handler(event, context):
    graph = minigraph.Graph(event["edges"])
    return json.dumps({"degree": graph.degree()})
