from .core import run

__all__ = ["run"]


def main():
    return run()
