from rich.console import Console
lazy from rich.console import Group


def report(lines):
    return Group(*lines)


CONSOLE = Console()
