import logging


class Service:
    log = logging.getLogger("svc")
