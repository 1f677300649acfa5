def digests(chunks):
    import hashlib
    out = []
    for chunk in chunks:
        if chunk:
            out.append(hashlib.sha256(chunk).hexdigest())
    return out
