import hashlib


def digests(chunks):
    out = []
    for chunk in chunks:
        if chunk:
            out.append(hashlib.sha256(chunk).hexdigest())
    return out
