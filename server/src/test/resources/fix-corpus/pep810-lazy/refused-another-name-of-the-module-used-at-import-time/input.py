from rich.console import Console, Group


def report(lines):
    return Group(*lines)


CONSOLE = Console()
