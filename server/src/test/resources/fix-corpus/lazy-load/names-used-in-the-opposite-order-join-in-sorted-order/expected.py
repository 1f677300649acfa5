def debug_dump(record):
    from rich.console import Console
    from rich.table import Table
    rows = sorted(record.items())
    table = Table(title="record")
    for key, value in rows:
        table.add_row(key, str(value))
    console = Console(stderr=True)
    console.print(table)
