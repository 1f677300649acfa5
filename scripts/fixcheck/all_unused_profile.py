"""A synthetic ColdSpy profile in which every module-level import of an app is costly and never used.

    python3 scripts/fixcheck/all_unused_profile.py APP_DIR OUT.json [--sys-path DIR ...] [--handler FILE:FUNC]

It is the adversary's profile of issue 13: with it `coldspy fix` tries every fix it has on every import
statement that runs at start-up, so what the fix planner dares can be checked against what Python does.
The statements are found with Python's own `ast` (not ColdSpy's parser), so the two do not share mistakes.

Each module a statement names (`import a.b` names `a` and `a.b`; `from p import x` names `p`, and `p.x` when
that is a module) is listed once, triggered by the first statement that names it, costing 80 ms in each of
three cold starts in which no module's code ever runs; the handler module comes first, as it is what a
cold start imports. A statement whose modules were all loaded by earlier statements (`import os` in the
second file) is charged an invented submodule of its own (`os._coldspy_all_unused_7`), so that every
start-up import statement is costly, not only the first to name a module.
Modules that cannot be found are left out, as the profiler leaves out imports that failed. A module's
`file` is its real origin (found without importing anything) when that is Python source outside the
standard library, so readers can look at its source; the standard library's and compiled modules' origins
are left out, so that they look like any costly pure-Python library (ColdSpy does not suggest moving a
used standard-library import, nor judges the usage of compiled code).
Standard library only.
"""
from __future__ import annotations

import argparse
import ast
import importlib.machinery
import json
import os
import sys
import sysconfig
from pathlib import Path

COST_US = 80_000
COLD_STARTS = 3
STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"]) + os.sep
CHARGE_PREFIX = "_coldspy_all_unused_"
SKIPPED_DIRS = {"__pycache__", "node_modules", "site-packages"}


def python_files(app: Path) -> list[Path]:
    """The app's Python files in the order ColdSpy lists them (sorted), skipping hidden and cache folders."""
    found = []
    for dirpath, dirnames, filenames in os.walk(app, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS)
        found += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py")]
    return sorted(found)


def module_name(app: Path, file: Path) -> str:
    parts = list(file.relative_to(app).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def startup_imports(tree: ast.Module):
    """Import statements that run when the module is imported: outside function bodies (and lambdas)."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        stack.extend(reversed([child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)
                               or isinstance(child, (ast.excepthandler, ast.match_case))]))


def resolve_relative(package: str, level: int, module: str | None) -> str | None:
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


class Finder:
    """Finds a module's origin without importing it: the app's files first, then the search path."""

    def __init__(self, app: Path, search_path: list[str]):
        self.app = app
        self.search_path = [str(app)] + search_path + [p for p in sys.path if p and p != str(app)]
        self.cache: dict[str, object] = {}

    def spec(self, name: str):
        if name in self.cache:
            return self.cache[name]
        found = None
        if name in sys.builtin_module_names:
            found = importlib.machinery.ModuleSpec(name, None, origin="built-in")
        elif "." not in name:
            found = self._find(name, self.search_path)
        else:
            parent = self.spec(name.rpartition(".")[0])
            locations = getattr(parent, "submodule_search_locations", None) if parent else None
            if locations:
                found = self._find(name, list(locations))
        self.cache[name] = found
        return found

    @staticmethod
    def _find(name: str, path: list[str]):
        try:
            return importlib.machinery.PathFinder.find_spec(name, path)
        except (ImportError, ValueError):
            return None

    def origin(self, name: str) -> str | None:
        """The module's source file, unless it is compiled or part of the standard library."""
        spec = self.spec(name)
        origin = getattr(spec, "origin", None) if spec else None
        if not origin or not os.path.isabs(origin) or not origin.endswith(".py"):
            return None
        in_stdlib = os.path.realpath(origin).startswith(STDLIB) and "site-packages" not in origin and "dist-packages" not in origin
        return None if in_stdlib else origin


def named_modules(node, package: str, finder: Finder) -> list[str]:
    if isinstance(node, ast.Import):
        names = []
        for alias in node.names:
            parts = alias.name.split(".")
            names += [".".join(parts[: i + 1]) for i in range(len(parts))]
        return names
    if node.module == "__future__":
        return []
    base = resolve_relative(package, node.level, node.module) if node.level else node.module
    if base is None:
        return []
    names = [base]
    for alias in node.names:
        if alias.name != "*" and finder.spec(f"{base}.{alias.name}") is not None:
            names.append(f"{base}.{alias.name}")
    return names


def build(app: Path, search_path: list[str], handler: str | None = None) -> dict:
    app = app.resolve()
    files = python_files(app)
    if handler is None:
        handler = "handler.py:handler" if (app / "handler.py").exists() else (
            f"{files[0].relative_to(app).as_posix()}:handler" if files else "handler.py:handler")
    entry = app / handler.partition(":")[0]
    files.sort(key=lambda f: (f != entry, f))
    finder = Finder(app, search_path)
    table: list[str] = []

    def file_index(path: str) -> int:
        if path not in table:
            table.append(path)
        return table.index(path)

    # The handler module comes first, as the agent records it: it is what the cold start imports.
    entry_name = module_name(app, entry)
    modules: dict[str, dict] = {entry_name: {
        "name": entry_name, "parent": None, "file": file_index(str(entry)), "selfUs": 1000,
        "cumulativeUs": 1000, "phase": "init", "trigger": None, "rssDeltaBytes": None}}
    for file in files:
        try:
            tree = ast.parse(file.read_bytes(), filename=str(file))
        except (SyntaxError, ValueError):
            continue
        name = module_name(app, file)
        package = name if file.name == "__init__.py" else name.rpartition(".")[0]
        for node in startup_imports(tree):
            trigger = {"file": file_index(str(file)), "line": node.lineno}
            found = [named for named in named_modules(node, package, finder) if finder.spec(named) is not None]
            new = [named for named in found if named not in modules]
            for named in new:
                origin = finder.origin(named)
                modules[named] = {
                    "name": named, "parent": name or None, "file": file_index(origin) if origin else None,
                    "selfUs": COST_US, "cumulativeUs": COST_US, "phase": "init", "trigger": trigger,
                    "rssDeltaBytes": None,
                }
            if found and not new:
                # Every module it names was loaded by an earlier statement: charge it a submodule of its own,
                # which only it loads, so that every start-up import looks costly.
                charged = f"{found[-1]}.{CHARGE_PREFIX}{len(modules)}"
                modules[charged] = {
                    "name": charged, "parent": found[-1], "file": None, "selfUs": COST_US,
                    "cumulativeUs": COST_US, "phase": "init", "trigger": trigger, "rssDeltaBytes": None,
                }
    cold_start = {
        "initUs": COST_US * max(1, len(modules)), "initPeakRssBytes": None,
        "samples": {"import": 100, "execution": 20},
        "modules": list(modules.values()),
        "invocations": [{"index": 0, "event": "event.json", "durationUs": 1000, "peakRssBytes": None,
                         "outcome": "return", "exceptionType": None, "modulesExecuted": [], "samples": 20}],
        "moduleUsage": {},
    }
    return {
        "format": "coldspy-profile", "schemaVersion": 1,
        "agent": {"name": "coldspy", "version": "all-unused"},
        "app": {"handler": handler, "root": str(app), "name": app.name},
        "environment": {"pythonVersion": "%d.%d.%d" % sys.version_info[:3], "implementation": "CPython",
                        "platform": sys.platform, "machine": "synthetic", "lambda": False, "memoryLimitMb": None},
        "settings": {"sampleIntervalUs": 1000, "clock": "wall", "usageSignal": "setprofile",
                     "memoryMethod": "none", "coldStarts": COLD_STARTS},
        "startedAt": "2026-01-01T00:00:00Z",
        "files": table,
        "coldStarts": [dict(cold_start, index=i) for i in range(COLD_STARTS)],
        "callTree": {"frames": [], "nodes": [[-1, -1, 0, 0]]},
        "errors": [],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sys-path", action="append", default=[], help="a directory the app imports from")
    parser.add_argument("--handler", help="FILE:FUNCTION relative to the app (default handler.py:handler)")
    args = parser.parse_args(argv)
    if not args.app.is_dir():
        print(f"all_unused_profile: {args.app}: not a directory", file=sys.stderr)
        return 2
    profile = build(args.app, [str(Path(p).resolve()) for p in args.sys_path], args.handler)
    args.out.write_text(json.dumps(profile, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
