"""Writes bytecode for this interpreter into a deployment folder, for `coldspy precompile PATH`.

Run as `python -c <this file> PATH`; prints one JSON object on stdout. Every *.py under PATH (hidden
directories and __pycache__ left out: neither holds importable modules) is compiled with py_compile into
__pycache__/<name>.<cache tag>.pyc in unchecked-hash mode: the interpreter loads such a file without looking at
the source's modification time or contents, so the bytecode stays valid when packaging (zip, container layers,
Lambda's upload) rewrites file times. An unchecked .pyc is stale when its source changes: rerun after every
edit, as the last step of the build.

The JSON says what each file had before (no bytecode for this interpreter, timestamp-based, hash-based),
which .pyc files for other interpreters lie around (unused by this one), what was compiled per top-level
package with the time compiling took, and the files that failed to compile (they keep no bytecode).
"""
import importlib.util
import json
import os
import py_compile
import sys
import time

root = os.path.abspath(sys.argv[1])
HASH_BASED = 0b01
CHECK_SOURCE = 0b10


def previous_state(cache_file):
    """What the import system would have found before: none, timestamp, checked-hash or unchecked-hash."""
    try:
        with open(cache_file, "rb") as pyc:
            header = pyc.read(16)
    except OSError:
        return "none"
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return "none"  # another interpreter's or a damaged file: this one recompiles the source
    flags = int.from_bytes(header[4:8], "little")
    if not flags & HASH_BASED:
        return "timestamp"
    return "checkedHash" if flags & CHECK_SOURCE else "uncheckedHash"


def sources():
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(directory, name)


def other_caches():
    """Counts of .pyc files in __pycache__ directories made by other interpreters, by cache tag."""
    tags = {}
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        if os.path.basename(directory) != "__pycache__":
            continue
        for name in files:
            parts = name.split(".")
            if len(parts) >= 3 and parts[-1] == "pyc" and parts[1] != sys.implementation.cache_tag:
                tags[parts[1]] = tags.get(parts[1], 0) + 1
    return dict(sorted(tags.items()))


def package_of(path):
    relative = os.path.relpath(path, root).split(os.sep)
    return relative[0] if len(relative) > 1 else relative[0][:-3]


before = {"none": 0, "timestamp": 0, "checkedHash": 0, "uncheckedHash": 0}
packages = {}
failed = []
foreign = other_caches()
for source in sources():
    cache_file = importlib.util.cache_from_source(source)
    before[previous_state(cache_file)] += 1
    start = time.perf_counter_ns()
    try:
        py_compile.compile(source, cfile=cache_file, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except (py_compile.PyCompileError, OSError, ValueError) as error:
        message = error.msg if isinstance(error, py_compile.PyCompileError) else str(error)
        failed.append({"path": os.path.relpath(source, root), "error": " ".join(message.split())})
        continue
    elapsed = time.perf_counter_ns() - start
    package = packages.setdefault(package_of(source), {"modules": 0, "ns": 0})
    package["modules"] += 1
    package["ns"] += elapsed

json.dump({
    "python": sys.version.split()[0],
    "cacheTag": sys.implementation.cache_tag,
    "invalidationMode": "unchecked-hash",
    "before": before,
    "otherCacheTags": foreign,
    "compiled": sum(p["modules"] for p in packages.values()),
    "compileMs": round(sum(p["ns"] for p in packages.values()) / 1e6, 3),
    "packages": [{"name": name, "modules": p["modules"], "compileMs": round(p["ns"] / 1e6, 3)}
                 for name, p in sorted(packages.items(), key=lambda item: (-item[1]["ns"], item[0]))],
    "failed": failed,
}, sys.stdout, indent=2)
sys.stdout.write("\n")
