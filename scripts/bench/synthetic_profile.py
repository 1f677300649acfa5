"""A synthetic app + profile (schema version 1) of a chosen size, for the language-server benchmarks.

The app is one handler module of `lines` lines: 60 top-level imports of packages `libNN` (each with three
submodules), then functions that use some of them. The profile holds 40 cold starts and a call tree whose
sample counts add up to `samples`, spread over import-phase stacks (under the import lines) and
execution-phase stacks (in the functions, calling into the used libraries).
"""
import random

PACKAGES = 60
COLD_STARTS = 40


def build(root, lines=2000, samples=1_000_000, seed=7):
    rng = random.Random(seed)
    handler = root / "handler.py"
    source = [f"import lib{p:02d}" for p in range(PACKAGES)]
    used = [p for p in range(PACKAGES) if p % 3 == 0]
    function_lines = {}
    body = 0
    while len(source) < lines - 3:
        name = f"step_{body}"
        function_lines[name] = len(source) + 1
        package = used[body % len(used)]
        source += ["", f"def {name}(event):", f"    value = lib{package:02d}.run(event)", "    return value"]
        body += 1
    source += ["", "def handler(event, context):", "    return step_0(event)"]
    handler.write_text("\n".join(source[:lines]) + "\n")

    app_root = "/var/task"
    files = [f"{app_root}/handler.py"]
    for p in range(PACKAGES):
        files.append(f"{app_root}/lib{p:02d}/__init__.py")
    modules = []
    for p in range(PACKAGES):
        cost = rng.randint(2_000, 120_000)
        modules.append({"name": f"lib{p:02d}", "parent": None, "file": 1 + p, "selfUs": cost // 4,
                        "cumulativeUs": cost, "phase": "init", "trigger": {"file": 0, "line": p + 1},
                        "rssDeltaBytes": cost * 40})
        for s in range(3):
            modules.append({"name": f"lib{p:02d}.sub{s}", "parent": f"lib{p:02d}", "file": 1 + p,
                            "selfUs": cost // 4, "cumulativeUs": cost // 4, "phase": "init",
                            "trigger": {"file": 1 + p, "line": 1 + s}, "rssDeltaBytes": cost * 10})

    # Call tree: frames for every import line and every function, and one frame per library.
    frames = [[0, "<module>", line, "handler"] for line in range(1, PACKAGES + 1)]
    library_frame = {}
    for p in range(PACKAGES):
        library_frame[p] = len(frames)
        frames.append([1 + p, "run", 10, f"lib{p:02d}"])
    function_frame = {}
    for name, line in function_lines.items():
        function_frame[name] = len(frames)
        frames.append([0, name, line + 1, "handler"])
    nodes = [[-1, -1, 0, 0]]
    leaves = []
    for p in range(PACKAGES):  # import phase: <module> line -> library
        nodes.append([0, p, 0, 0])
        nodes.append([len(nodes) - 1, library_frame[p], 0, 0])
        leaves.append((len(nodes) - 1, "import"))
    for index, name in enumerate(function_frame):  # execution phase: function -> used library
        nodes.append([0, function_frame[name], 0, 0])
        package = used[index % len(used)]
        nodes.append([len(nodes) - 1, library_frame[package], 0, 0])
        leaves.append((len(nodes) - 1, "execution"))
    remaining = samples
    for i, (node, phase) in enumerate(leaves):
        share = remaining // (len(leaves) - i)
        nodes[node][2 if phase == "import" else 3] = share
        remaining -= share
    import_samples = sum(n[2] for n in nodes)
    execution_samples = sum(n[3] for n in nodes)

    usage = {f"lib{p:02d}": {"samples": execution_samples // COLD_STARTS // len(used), "executed": True} for p in used}
    cold_starts = []
    for c in range(COLD_STARTS):
        cold_starts.append({
            "index": c, "initUs": sum(m["cumulativeUs"] for m in modules if m["parent"] is None),
            "initPeakRssBytes": 90_000_000,
            "samples": {"import": import_samples // COLD_STARTS, "execution": execution_samples // COLD_STARTS},
            "modules": modules,
            "invocations": [{"index": 0, "event": "event.json", "durationUs": 50_000, "peakRssBytes": 95_000_000,
                             "outcome": "return", "exceptionType": None,
                             "modulesExecuted": sorted(usage), "samples": execution_samples // COLD_STARTS}],
            "moduleUsage": usage,
        })
    profile = {
        "format": "coldspy-profile", "schemaVersion": 1,
        "agent": {"name": "coldspy", "version": "bench"},
        "app": {"handler": "handler.py:handler", "root": app_root, "name": root.name},
        "environment": {"pythonVersion": "3.11.7", "implementation": "CPython", "platform": "Linux",
                        "machine": "x86_64", "lambda": False, "memoryLimitMb": None},
        "settings": {"sampleIntervalUs": 1000, "clock": "wall", "usageSignal": "sys.monitoring",
                     "memoryMethod": "rss", "coldStarts": COLD_STARTS},
        "startedAt": "2026-01-01T00:00:00Z",
        "files": files,
        "coldStarts": cold_starts,
        "callTree": {"frames": frames, "nodes": nodes},
        "errors": [],
    }
    return handler, profile
