"""The real-code sweep: `coldspy fix` under an all-unused profile on real packages and on the standard library.

    python3 scripts/fixcheck/sweep.py [--jar server/target/coldspy.jar] [--work DIR]
                                      [--package NAME==VERSION:SOURCE:TESTS ...] [--no-stdlib]

For each package (default: PACKAGES below) it downloads the sdist (`pip download --no-binary :all:
--no-deps`), unpacks it twice, and on one copy applies every fix the planner dares to the package's source
folder (SOURCE, relative to the sdist) under a profile in which every start-up import is costly and never
used (all_unused_profile.py), again and again until a round changes nothing. Then every file of the fixed
copy must compile and the package's own test suite (TESTS, run with pytest against each copy in turn, the
copy's SOURCE parent first on the path) must give the same outcome per test as on the original.
With the standard library: a copy of its pure-Python modules (without its test suite, idlelib, tkinter's
and lib2to3's tests) is fixed as one project, and another copy with each top-level package as its own
project (so that fixes are exercised on real code beyond the reach of the stdlib's computed imports); every
file must still compile.
Prints a Markdown table for docs/benchmarks.md; exit status 1 when a file does not compile, a test's
outcome changed or `coldspy fix` failed. Standard library only (plus pip and pytest to run the suites).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from all_unused_profile import build, python_files  # noqa: E402
from probe import compile_errors  # noqa: E402

# Small, well-tested pure-Python libraries whose suites run with pytest alone, quickly and offline.
PACKAGES = [
    "idna==3.7:idna:tests",
    "toolz==0.12.1:toolz:toolz/tests",
    "more-itertools==10.2.0:more_itertools:tests",
    "click==8.1.7:src/click:tests",
]
STDLIB_SKIPPED = {"test", "idlelib", "site-packages", "dist-packages", "__pycache__", "tests", "lib2to3"}
MAX_ROUNDS = 6


@dataclass
class Outcome:
    name: str
    files: int = 0
    fixed: int = 0
    refused: int = 0
    rounds: int = 0
    compile_errors: list[str] = field(default_factory=list)
    tests: str = "-"
    test_changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.compile_errors or self.test_changes or self.problems)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def fix_until_stable(jar: Path, project: Path, work: Path, outcome: Outcome, label: str = "") -> None:
    """Applies the fixes round after round (a fix can make another statement the first to pay for a module);
    the outcome adds up the fixes, the last round's refusals and the most rounds over its projects."""
    profile = work / f"{outcome.name}{label}-profile.json"
    for round_number in range(1, MAX_ROUNDS + 1):
        profile.write_text(json.dumps(build(project, [])))
        result = run(["java", "-jar", str(jar), "fix", "--profile", str(profile), str(project)])
        if result.returncode == 2:
            outcome.problems.append(f"round {round_number}: coldspy fix exited 2: {result.stderr.strip()[:500]}")
            return
        lines = result.stdout.splitlines()
        fixed = sum(1 for line in lines if " fixed: " in line and " not fixed: " not in line)
        outcome.fixed += fixed
        outcome.rounds = max(outcome.rounds, round_number)
        if fixed == 0 or round_number == MAX_ROUNDS:
            outcome.refused += sum(1 for line in lines if " not fixed: " in line)
            return


def test_outcomes(copy: Path, source: str, tests: str) -> tuple[dict[str, str], str]:
    """Each test's outcome (pytest's per-test report lines) and the summary line."""
    source_root = (copy / source).resolve()
    env = dict(os.environ, PYTHONPATH=str(source_root.parent),
               PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    result = run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-o", "addopts=",
                  "--tb=no", "-W", "ignore::DeprecationWarning", tests], cwd=copy, env=env, timeout=900)
    outcomes = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)", line)
        if match:
            outcomes[match.group(2)] = match.group(1)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()[-200:]
    return outcomes, summary


def unpack(archive: Path, into: Path) -> Path:
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as z:
            z.extractall(into)
    else:
        with tarfile.open(archive) as t:
            t.extractall(into, filter="data")
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


def sweep_package(spec: str, jar: Path, work: Path) -> Outcome:
    requirement, source, tests = spec.split(":")
    outcome = Outcome(requirement)
    started = time.monotonic()
    downloads = work / "downloads"
    downloads.mkdir(exist_ok=True)
    got = run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps", "-q",
               "-d", str(downloads), requirement])
    name = re.split(r"[=<>]", requirement)[0]
    pattern = re.compile(re.escape(name).replace(r"\-", "[-_]") + r"-.*\.(tar\.gz|zip)$", re.I)
    archives = [p for p in downloads.iterdir() if pattern.match(p.name)]
    if got.returncode != 0 or not archives:
        outcome.problems.append(f"pip download failed: {got.stderr.strip()[-300:]}")
        return outcome
    original = unpack(archives[0], work / name / "original")
    fixed = unpack(archives[0], work / name / "fixed")
    project = fixed / source
    outcome.files = len(python_files(project))
    fix_until_stable(jar, project, work, outcome)
    outcome.compile_errors = compile_errors(project)
    before, summary_before = test_outcomes(original, source, tests)
    after, summary_after = test_outcomes(fixed, source, tests)
    outcome.tests = f"{summary_before} / {summary_after}"
    if not before:
        outcome.problems.append(f"the test suite did not run: {summary_before}")
    for test in sorted(set(before) | set(after)):
        if before.get(test) != after.get(test):
            outcome.test_changes.append(f"{test}: {before.get(test)} -> {after.get(test)}")
    outcome.seconds = time.monotonic() - started
    return outcome


def sweep_stdlib(jar: Path, work: Path, per_package: bool) -> Outcome:
    """The standard library's copy fixed as one project, or (per_package) each top-level package as its own
    project: as one project every module is within reach of a computed import (dbm's and pickle's
    `__import__(name)`), so the planner rightly refuses every fix that takes a name away."""
    outcome = Outcome(f"stdlib {sys.version_info.major}.{sys.version_info.minor}"
                      + (" (top-level packages)" if per_package else ""))
    started = time.monotonic()
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    copy = work / "stdlib"
    shutil.copytree(stdlib, copy, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n in STDLIB_SKIPPED or n.endswith((".pyc", ".so"))
                                             or n.startswith(("config-", "lib-dynload", "ensurepip"))])
    outcome.files = len(python_files(copy))
    if per_package:
        for package in sorted(p for p in copy.iterdir() if (p / "__init__.py").is_file()):
            fix_until_stable(jar, package, work, outcome, "-" + package.name)
    else:
        fix_until_stable(jar, copy, work, outcome)
    outcome.compile_errors = compile_errors(copy)
    outcome.seconds = time.monotonic() - started
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jar", type=Path, default=ROOT / "server/target/coldspy.jar")
    parser.add_argument("--work", type=Path, help="keep the copies here (default: a temporary folder)")
    parser.add_argument("--package", action="append", help="NAME==VERSION:SOURCE:TESTS (repeatable)")
    parser.add_argument("--no-stdlib", action="store_true")
    args = parser.parse_args(argv)
    if not args.jar.exists():
        print(f"sweep: {args.jar}: no such jar; build it with mvn -q -B -ntp -pl server package -DskipTests",
              file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="coldspy-sweep-"))
    work.mkdir(parents=True, exist_ok=True)
    outcomes = [sweep_package(spec, args.jar, work) for spec in (args.package or PACKAGES)]
    if not args.no_stdlib:
        outcomes.append(sweep_stdlib(args.jar, work, per_package=False))
        outcomes.append(sweep_stdlib(args.jar, work / "per-package", per_package=True))
    print("| code | files | fixes applied | refused (last round) | rounds | compile errors | tests before / after"
          " | tests changed | time |")
    print("|---|---|---|---|---|---|---|---|---|")
    for o in outcomes:
        print(f"| {o.name} | {o.files} | {o.fixed} | {o.refused} | {o.rounds} | {len(o.compile_errors)} | {o.tests}"
              f" | {len(o.test_changes)} | {o.seconds:.0f} s |")
    for o in outcomes:
        for line in o.problems + o.compile_errors + o.test_changes:
            print(f"{o.name}: {line}", file=sys.stderr)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
