"""The fix proof: ColdSpy's fixes keep every fixture app's behaviour and make its cold start cheaper.

    python3 scripts/fix_proof.py [--jar server/target/coldspy.jar] [--starts N] [APP ...]

For each app of fixtures/apps (or the ones named) it copies the app twice to a temporary directory, runs
`coldspy fix` with the app's golden profile on one copy, then checks that
  * every event gives the same output before and after (fixtures/tools/run_events.py, one fresh
    interpreter per event: return values and raised exceptions),
  * every Python file of the fixed copy compiles (py_compile),
  * a second `coldspy fix --diff` has nothing left to change (the fixes are idempotent),
and measures the handler module's import time (the init phase of a cold start) in N fresh interpreters per
copy, alternating the two copies so that machine load affects both alike. Prints a Markdown table of the
medians. Exit status 1 when an output differs, a file does not compile, a second run changes something, or
fixes were applied and the median init time did not drop.
Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_TIMER = (
    "import importlib, sys, time\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "start = time.perf_counter()\n"
    "importlib.import_module(sys.argv[2])\n"
    "print((time.perf_counter() - start) * 1000)\n"
)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def handler_spec(app: str) -> str:
    """FILE.py:FUNCTION of the app's handler as its recorded outputs name it (not always handler.py)."""
    return json.loads((ROOT / "fixtures/outputs" / f"{app}.json").read_text(encoding="utf-8"))["handler"]


def events_output(app_dir: Path, handler: str) -> str:
    result = run([sys.executable, str(ROOT / "fixtures/tools/run_events.py"), str(app_dir), "--handler", handler])
    if result.returncode != 0:
        raise SystemExit(f"{app_dir}: run_events.py failed:\n{result.stderr}")
    return result.stdout


def import_ms(app_dir: Path, module: str) -> float:
    result = run([sys.executable, "-c", IMPORT_TIMER, str(app_dir), module], cwd=app_dir)
    if result.returncode != 0:
        raise SystemExit(f"{app_dir}: importing the handler failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def compile_errors(app_dir: Path, scratch: Path) -> list[str]:
    errors = []
    for file in sorted(app_dir.rglob("*.py")):
        try:
            py_compile.compile(str(file), cfile=str(scratch / "compiled.pyc"), doraise=True)
        except py_compile.PyCompileError as error:
            errors.append(str(error))
    return errors


def prove(app: str, jar: Path, starts: int, work: Path) -> tuple[bool, str]:
    source = ROOT / "fixtures/apps" / app
    profile = ROOT / "fixtures/profiles" / f"{app}.json"
    before = work / "before" / app
    after = work / "after" / app
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(source, before, ignore=ignore)
    shutil.copytree(source, after, ignore=ignore)
    fix = run(["java", "-jar", str(jar), "fix", "--profile", str(profile), str(after)])
    if fix.returncode == 2:
        raise SystemExit(f"{app}: coldspy fix failed:\n{fix.stdout}{fix.stderr}")
    applied = [line for line in fix.stdout.splitlines() if " fixed: " in line and " not fixed: " not in line]
    handler = handler_spec(app)
    module = handler.split(".py:")[0]
    same = events_output(before, handler) == events_output(after, handler)
    errors = compile_errors(after, work)
    again = run(["java", "-jar", str(jar), "fix", "--diff", "--profile", str(profile), str(after)])
    idempotent = "+++ " not in again.stdout
    times_before, times_after = [], []
    for _ in range(starts):
        times_before.append(import_ms(before, module))
        times_after.append(import_ms(after, module))
    median_before = statistics.median(times_before)
    median_after = statistics.median(times_after)
    change = (median_after - median_before) / median_before * 100 if median_before else 0.0
    # The point of the fixes: an app that got any must start faster (the copies alternate, so load is shared).
    faster = not applied or median_after < median_before
    ok = same and not errors and idempotent and faster
    row = (
        f"| {app} | {len(applied)} | {'yes' if same else 'NO'} | {'yes' if not errors else 'NO'} | "
        f"{'yes' if idempotent else 'NO'} | {median_before:.1f} | {median_after:.1f} | {change:+.0f} % |"
    )
    details = "\n".join(f"    {line}" for line in fix.stdout.splitlines())
    if errors:
        details += "\n" + "\n".join(errors)
    if not idempotent:
        details += "\n    second run would change:\n" + again.stdout
    if not faster:
        details += f"\n    {len(applied)} fixes applied, yet init did not drop ({median_before:.1f} -> {median_after:.1f} ms)"
    return ok, row + "\n" + details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", help="fixture apps (default: all)")
    parser.add_argument("--jar", type=Path, default=ROOT / "server/target/coldspy.jar")
    parser.add_argument("--starts", type=int, default=11, help="cold starts measured per copy (default 11)")
    args = parser.parse_args()
    if not args.jar.exists():
        print(f"{args.jar}: not built (mvn -pl server package)", file=sys.stderr)
        return 2
    apps = args.apps or sorted(p.name for p in (ROOT / "fixtures/apps").iterdir() if p.is_dir())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.starts} cold starts per copy")
    print("| app | fixes applied | outputs identical | compiles | 2nd run no-op | init before (ms) | init after (ms) | change |")
    print("|---|---|---|---|---|---|---|---|")
    failed = False
    with tempfile.TemporaryDirectory(prefix="coldspy-fix-proof-") as work:
        details = []
        for app in apps:
            ok, report = prove(app, args.jar, args.starts, Path(work))
            row, _, detail = report.partition("\n")
            print(row, flush=True)
            details.append(f"{app}:\n{detail}")
            failed |= not ok
    print()
    print("\n".join(details))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
