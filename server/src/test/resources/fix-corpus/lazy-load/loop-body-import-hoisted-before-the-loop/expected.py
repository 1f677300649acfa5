def digests(chunks):
    out = []
    import hashlib
    for chunk in chunks:
        if chunk:
            out.append(hashlib.sha256(chunk).hexdigest())
    return out
