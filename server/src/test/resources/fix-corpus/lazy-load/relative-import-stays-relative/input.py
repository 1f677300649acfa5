from .heavy import render


def handler(event, context):
    return render(event)
