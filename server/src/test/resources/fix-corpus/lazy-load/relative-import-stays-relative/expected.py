def handler(event, context):
    from .heavy import render
    return render(event)
