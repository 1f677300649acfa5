"""Bytecode and stability measurements on the fixture apps, run through the real agent and `coldspy`.

    python3 scripts/bytecode_bench.py stability [--jar J] [--cold-starts N] [APP ...]
    python3 scripts/bytecode_bench.py saving [--jar J] [--cold-starts N] [--verify-starts M] [APP ...]

Each app is packaged the way a Lambda deployment folder is (`pip install -t . --no-compile`): a copy of the
app with its requirements and their dependencies vendored beside the handler (files linked from the installed
distributions, no `__pycache__`). Every interpreter runs with PYTHONDONTWRITEBYTECODE=1, so nothing writes
bytecode, as in Lambda's read-only folder.

`stability` profiles the app (`python3 -m coldspy run`, N cold starts, one event each) in three conditions —
quiet with bytecode (the folder precompiled), beside CPU-bound competitor processes (one per core) with
bytecode, and quiet without bytecode — runs `coldspy check --format json` on the app's own files with each
profile, and compares the sets of (file, line, code) findings. Only the milliseconds may differ; CS107
(modules compiled from source) is the finding the bytecode condition is about, so it is compared apart: it
must appear without bytecode and not with it. Prints a Markdown table; exit 1 when a set differs.

`saving` checks the bytecode finding against a measurement: the folder without bytecode is profiled and
checked (CS107's estimate), a second copy is precompiled (`coldspy precompile --profile`), `coldspy verify`
runs both copies interleaved in fresh interpreters (M each), and the precompiled copy is profiled again
(no CS107 expected). Profiling and verify alternate in six rounds, so that both see the same machine load. Prints the estimate, verify's init difference and whether the estimate is within ±20 % of
it; exit 1 when it is not, when an output differs or when CS107 is missing without bytecode or present with it.

Standard library only. The jar comes from `mvn -pl server package`.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "fixtures" / "apps"
COMPILE_RULE = "CS107"
TOLERANCE = 0.20
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def run(command: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, env=env)


def environment() -> dict:
    """The profiled interpreters' environment: no bytecode written anywhere, caches read next to the sources."""
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPYCACHEPREFIX", None)
    env["PYTHONPATH"] = str(ROOT / "profiler")
    return env


def handler_spec(app: str) -> str:
    """FILE.py:FUNCTION of the app's handler as its recorded outputs name it."""
    return json.loads((ROOT / "fixtures/outputs" / f"{app}.json").read_text(encoding="utf-8"))["handler"]


def distributions(app: str) -> list[importlib.metadata.Distribution]:
    """The app's requirements and everything they require (extras left out), each once."""
    pending = [m.group(1) for line in (APPS / app / "requirements.txt").read_text().splitlines()
               if not line.startswith("#") and (m := REQUIREMENT_NAME.match(line))]
    seen: dict[str, importlib.metadata.Distribution] = {}
    while pending:
        name = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # a dependency for another platform or Python version
        seen[key] = distribution
        for requirement in distribution.requires or []:
            if "extra ==" not in requirement and (m := REQUIREMENT_NAME.match(requirement)):
                pending.append(m.group(1))
    return list(seen.values())


def package(app: str, target: Path) -> Path:
    """The app and its vendored libraries in `target` without bytecode: sources linked, directories real (so
    that `precompile` writes each copy's own __pycache__)."""
    shutil.copytree(APPS / app, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for distribution in distributions(app):
        for file in distribution.files or []:
            parts = Path(file).parts
            if parts[0] == ".." or "__pycache__" in parts or file.suffix == ".pyc":
                continue
            link = target.joinpath(*parts)
            if link.exists():
                continue
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(Path(distribution.locate_file(file)).resolve())
    return target


def own_sources(app: str, folder: Path) -> list[str]:
    """The app's own Python files and packages in `folder` (the vendored libraries left out of the check)."""
    own = []
    for entry in sorted((APPS / app).iterdir()):
        if entry.suffix == ".py" or (entry.is_dir() and any(entry.rglob("*.py"))):
            own.append(str(folder / entry.name))
    return own


def precompile(jar: Path, folder: Path, profile: Path | None = None) -> dict:
    command = ["java", "-jar", str(jar), "precompile", str(folder), "--python", sys.executable, "--format", "json"]
    if profile is not None:
        command += ["--profile", str(profile)]
    result = run(command)
    if result.returncode != 0:
        raise SystemExit(f"{folder}: coldspy precompile failed:\n{result.stderr}")
    return json.loads(result.stdout)


def profile(app: str, folder: Path, output: Path, cold_starts: int) -> Path:
    result = run([sys.executable, "-m", "coldspy", "run", f"{folder}/{handler_spec(app)}", "--event",
                  str(folder / "events"), "--cold-starts", str(cold_starts), "--invocations", "1",
                  "--usage-signal", "setprofile", "--interval-ms", "1", "--clock", "wall", "--name", app,
                  "-o", str(output)], env=environment())
    if result.returncode != 0:
        raise SystemExit(f"{app}: profiling failed:\n{result.stdout}{result.stderr}")
    return output


@dataclass
class Checked:
    findings: set[tuple[str, int, str]]
    compile_ms: float | None
    init_ms: float


def check(jar: Path, app: str, folder: Path, *profile_files: Path) -> Checked:
    profile_options = [option for file in profile_files for option in ("--profile", str(file))]
    result = run(["java", "-jar", str(jar), "check", "--format", "json", *profile_options,
                  *own_sources(app, folder)])
    if result.returncode not in (0, 1):
        raise SystemExit(f"{app}: coldspy check failed:\n{result.stderr}")
    analysis = json.loads(result.stdout)["analyses"][0]
    findings = {(str(Path(f["file"]).resolve().relative_to(folder.resolve())), f["line"], f["code"])
                for f in analysis["findings"]}
    compile_finding = analysis.get("compile")
    return Checked(findings, compile_finding["compileMs"] if compile_finding else None,
                   analysis["summary"]["initMs"]["median"])


class Competitors:
    """CPU-bound processes, one per core, for the length of a `with` block."""

    def __enter__(self):
        self.processes = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                          for _ in range(os.cpu_count() or 1)]
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.kill()
            process.wait()


def stability(jar: Path, app: str, cold_starts: int, work: Path) -> dict:
    """The findings of the three conditions and whether they agree."""
    without = package(app, work / "without" / app)
    with_bytecode = package(app, work / "with" / app)
    precompile(jar, with_bytecode)
    quiet = check(jar, app, with_bytecode, profile(app, with_bytecode, work / "quiet.json", cold_starts))
    with Competitors():
        loaded = check(jar, app, with_bytecode, profile(app, with_bytecode, work / "loaded.json", cold_starts))
    source = check(jar, app, without, profile(app, without, work / "source.json", cold_starts))
    conditions = {"quiet": quiet, "loaded": loaded, "no bytecode": source}
    differences = {name: sorted(c.findings ^ quiet.findings) for name, c in conditions.items() if name != "quiet"}
    return {
        "app": app,
        "conditions": conditions,
        "differences": differences,
        "stable": not any(differences.values()),
        "compileRule": source.compile_ms is not None and quiet.compile_ms is None and loaded.compile_ms is None,
    }


def saving(jar: Path, app: str, cold_starts: int, verify_starts: int, work: Path, rounds: int = 6) -> dict:
    """CS107's estimate against verify's measured init difference without and with bytecode.

    Profiling and verify alternate in `rounds` rounds (each a share of the cold starts), so that a machine
    whose load drifts gives the estimate and the measurement the same conditions: the estimate is check's on
    all the rounds' profiles (median over every cold start), the measured difference the median of the
    rounds' differences of verify's init medians."""
    shipped = package(app, work / "shipped" / app)
    precompiled = package(app, work / "precompiled" / app)
    profiles = []
    differences = []
    outputs_identical = True
    for r in range(rounds):
        profiles.append(profile(app, shipped, work / f"shipped-{r}.json", max(1, cold_starts // rounds)))
        if r == 0:
            compiled = precompile(jar, precompiled, profiles[0])
        result = run(["java", "-jar", str(jar), "verify", "--baseline", str(shipped),
                      f"{precompiled}/{handler_spec(app)}", "--event", str(precompiled / "events"),
                      "--cold-starts", str(max(1, verify_starts // rounds)), "--python", sys.executable,
                      "--format", "json", "-o", str(work / f"verify-{r}.json")])
        if result.returncode not in (0, 1):
            raise SystemExit(f"{app}: coldspy verify failed:\n{result.stderr}")
        verified = json.loads(result.stdout)
        outputs_identical &= verified["outputsIdentical"]
        differences.append((verified["before"]["initMs"], verified["after"]["initMs"]))
    estimate = check(jar, app, shipped, *profiles)
    after = check(jar, app, precompiled, profile(app, precompiled, work / "precompiled.json", cold_starts))
    differences.sort(key=lambda pair: pair[0] - pair[1])
    before_ms, after_ms = differences[len(differences) // 2]
    measured = before_ms - after_ms
    within = (estimate.compile_ms is not None and measured > 0
              and abs(estimate.compile_ms - measured) <= TOLERANCE * measured)
    return {
        "app": app,
        "estimateMs": estimate.compile_ms,
        "expectedSavingMs": compiled.get("expectedSaving", {}).get("ms"),
        "initBeforeMs": before_ms,
        "initAfterMs": after_ms,
        "measuredMs": measured,
        "outputsIdentical": outputs_identical,
        "withinTolerance": within,
        "findingWithBytecode": after.compile_ms is not None,
        "ok": within and outputs_identical and after.compile_ms is None,
    }


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["stability", "saving"])
    parser.add_argument("apps", nargs="*", help="fixture apps (default: all)")
    parser.add_argument("--jar", type=Path, default=ROOT / "server/target/coldspy.jar")
    parser.add_argument("--cold-starts", type=int, default=10, help="cold starts per profile (default 10)")
    parser.add_argument("--verify-starts", type=int, default=10, help="verify's cold starts per copy (default 10)")
    args = parser.parse_args()
    if not args.jar.is_file():
        print(f"{args.jar}: not found; build it with mvn -pl server package", file=sys.stderr)
        return 2
    apps = args.apps or sorted(p.name for p in APPS.iterdir() if p.is_dir())
    failed = False
    if args.mode == "stability":
        print("| app | findings (quiet) | differ beside competitors | differ without bytecode | CS107 only without"
              " bytecode | init ms quiet / loaded / no bytecode |")
        print("|---|---|---|---|---|---|")
    else:
        print("| app | CS107 estimate ms | precompile's expected ms | verify init before → after ms | measured"
              " difference ms | within ±20 % | outputs identical | CS107 with bytecode |")
        print("|---|---|---|---|---|---|---|---|")
    for app in apps:
        with tempfile.TemporaryDirectory(prefix=f"coldspy-bytecode-{app}-") as work:
            if args.mode == "stability":
                r = stability(args.jar, app, args.cold_starts, Path(work))
                c = r["conditions"]
                print(f"| {app} | {len(c['quiet'].findings)} | {r['differences']['loaded'] or 'none'} |"
                      f" {r['differences']['no bytecode'] or 'none'} | {'yes' if r['compileRule'] else 'no'} |"
                      f" {fmt(c['quiet'].init_ms)} / {fmt(c['loaded'].init_ms)} / {fmt(c['no bytecode'].init_ms)} |",
                      flush=True)
                failed |= not (r["stable"] and r["compileRule"])
            else:
                r = saving(args.jar, app, args.cold_starts, args.verify_starts, Path(work))
                print(f"| {app} | {fmt(r['estimateMs'])} | {fmt(r['expectedSavingMs'])} |"
                      f" {fmt(r['initBeforeMs'])} → {fmt(r['initAfterMs'])} | {fmt(r['measuredMs'])} |"
                      f" {'yes' if r['withinTolerance'] else 'no'} | {'yes' if r['outputsIdentical'] else 'no'} |"
                      f" {'yes' if r['findingWithBytecode'] else 'no'} |", flush=True)
                failed |= not r["ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
