import io


def pages(data):
    import json
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    return json.dumps(list(extract_pages(io.BytesIO(data), laparams=LAParams())))
