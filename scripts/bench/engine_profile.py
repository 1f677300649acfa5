"""A large synthetic app + profile (schema version 1) for the engine benchmark: a call tree of `nodes` nodes
holding `samples` samples, over `cold_starts` cold starts of an app whose handler imports 40 libraries of 50
modules each (2,000 modules per cold start), a few used in every cold start, some rarely, some at init only
(called by the handler's module-level code: import-phase call samples), most never.

    python3 scripts/bench/engine_profile.py OUT_DIR [--nodes 200000] [--samples 1000000]

writes OUT_DIR/handler.py and OUT_DIR/profile.json.
"""
import argparse
import json
import pathlib
import random

LIBRARIES = 40
SUBMODULES = 50


def build(out, nodes=200_000, samples=1_000_000, cold_starts=20, seed=11):
    rng = random.Random(seed)
    root = "/var/task"
    source = [f"import lib{i:02d}" for i in range(LIBRARIES)]
    source += ["", "", "def handler(event, context):"]
    for i in range(LIBRARIES):
        source.append(f"    if event.get('k') == {i}:")
        source.append(f"        return lib{i:02d}.run(event)")
    source.append("    return None")
    (out / "handler.py").write_text("\n".join(source) + "\n")
    handler_line = {i: LIBRARIES + 3 + 2 * i + 2 for i in range(LIBRARIES)}

    files = [f"{root}/handler.py"]
    modules = []
    for i in range(LIBRARIES):
        files.append(f"/opt/python/lib{i:02d}/__init__.py")
        top = len(files) - 1
        cost = rng.randint(500, 4_000)
        modules.append({"name": f"lib{i:02d}", "parent": None, "file": top, "selfUs": cost,
                        "cumulativeUs": cost * (SUBMODULES + 1), "phase": "init",
                        "trigger": {"file": 0, "line": i + 1}, "rssDeltaBytes": cost * 500})
        for s in range(SUBMODULES):
            files.append(f"/opt/python/lib{i:02d}/m{s:02d}.py")
            modules.append({"name": f"lib{i:02d}.m{s:02d}", "parent": f"lib{i:02d}", "file": len(files) - 1,
                            "selfUs": cost, "cumulativeUs": cost, "phase": "init",
                            "trigger": {"file": top, "line": s + 1}, "rssDeltaBytes": cost * 100})

    # Frames: the handler's lines, and 25 functions per library module.
    frames = [[0, "<module>", i + 1, "handler"] for i in range(LIBRARIES)]
    frames += [[0, "handler", handler_line[i], "handler"] for i in range(LIBRARIES)]
    library_frames = {}
    for i in range(LIBRARIES):
        library_frames[i] = []
        for s in range(SUBMODULES):
            for f in range(25):
                library_frames[i].append(len(frames))
                frames.append([1 + i * (SUBMODULES + 1) + 1 + s, f"f{f}", 10 + f, f"lib{i:02d}.m{s:02d}"])
    # Usage: libraries 0-4 every cold start, 5-9 in one cold start in ten, 10-14 at init only (their import-phase
    # samples run under the handler's module body), the rest never.
    def used_in(i, c):
        return i < 5 or (i < 10 and c % 10 == i - 5)

    tree = [[-1, -1, 0, 0]]
    children = {}

    def child(parent, frame):
        key = (parent, frame)
        if key not in children:
            children[key] = len(tree)
            tree.append([parent, frame, 0, 0])
        return children[key]

    leaves = []
    while len(tree) < nodes:
        i = rng.randrange(LIBRARIES)
        execution = i < 10 and rng.random() < 0.7
        node = child(0, LIBRARIES + i if execution else i)
        for _ in range(rng.randint(3, 12)):
            node = child(node, rng.choice(library_frames[i]))
        leaves.append((node, execution))
    per_leaf, extra = divmod(samples, len(leaves))
    for index, (node, execution) in enumerate(leaves):
        tree[node][3 if execution else 2] += per_leaf + (1 if index < extra else 0)
    import_samples = sum(n[2] for n in tree)
    execution_samples = sum(n[3] for n in tree)

    runs = []
    for c in range(cold_starts):
        used = sorted(f"lib{i:02d}.m00" for i in range(LIBRARIES) if used_in(i, c))
        runs.append({
            "index": c, "initUs": sum(m["selfUs"] for m in modules), "initPeakRssBytes": 120_000_000,
            "samples": {"import": import_samples // cold_starts, "execution": execution_samples // cold_starts},
            "modules": modules,
            "invocations": [{"index": 0, "event": "event.json", "durationUs": 40_000, "peakRssBytes": 130_000_000,
                             "outcome": "return", "exceptionType": None, "modulesExecuted": used,
                             "samples": execution_samples // cold_starts}],
            "moduleUsage": {**{name: {"samples": 1, "executed": True} for name in used},
                            **{f"lib{i:02d}.m00": {"samples": 0, "executed": False, "importPhaseCallSamples": 3}
                               for i in range(10, 15)}},
        })
    profile = {
        "format": "coldspy-profile", "schemaVersion": 1,
        "agent": {"name": "coldspy", "version": "bench"},
        "app": {"handler": "handler.py:handler", "root": root, "name": "bench_app"},
        "environment": {"pythonVersion": "3.11.7", "implementation": "CPython", "platform": "Linux",
                        "machine": "x86_64", "lambda": True, "memoryLimitMb": 1024},
        "settings": {"sampleIntervalUs": 1000, "clock": "wall", "usageSignal": "setprofile",
                     "memoryMethod": "rss", "coldStarts": cold_starts},
        "startedAt": "2026-01-01T00:00:00Z",
        "files": files, "coldStarts": runs, "callTree": {"frames": frames, "nodes": tree}, "errors": [],
    }
    (out / "profile.json").write_text(json.dumps(profile, separators=(",", ":")))
    return len(tree), import_samples + execution_samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=1_000_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    nodes, samples = build(args.out, args.nodes, args.samples)
    print(f"{args.out}/profile.json: {nodes} call-tree nodes, {samples} samples")


if __name__ == "__main__":
    main()
