import io
from pdfminer.high_level import extract_pages


def pages(data):
    import json
    from pdfminer.layout import LAParams
    return json.dumps(list(extract_pages(io.BytesIO(data), laparams=LAParams())))
