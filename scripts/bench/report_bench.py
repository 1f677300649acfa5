#!/usr/bin/env python3
"""Benchmark of `coldspy report`: generation time and file size for two fixtures and for a synthetic
1M-sample profile, and time to first contentful paint of each page in headless Chromium.

Usage: python3 scripts/bench/report_bench.py   (after `mvn -q package -DskipTests` and
`npm ci` in tests/report-browser). Prints one JSON line per measurement; figures go to docs/benchmarks.md.
"""
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).parent))
import synthetic_profile  # noqa: E402

JAR = REPO / "server/target/coldspy.jar"
RUNS = 5


def time_report(profile, app_dir, out):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(["java", "-jar", str(JAR), "report", "--profile", str(profile), str(app_dir), "-o", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    work = pathlib.Path(tempfile.mkdtemp(prefix="coldspy-report-bench-"))
    # rules_engine: a small app; heart_rate: the largest fixture page (1,138 modules, a 35,000-node call tree,
    # a CS106 finding with its import tree below the line).
    cases = [(f"fixture {app}", REPO / f"fixtures/profiles/{app}.json", REPO / f"fixtures/apps/{app}")
             for app in ("rules_engine", "heart_rate")]
    synthetic = work / "synthetic"
    synthetic.mkdir()
    _, profile = synthetic_profile.build(synthetic)
    synthetic_json = work / "synthetic.json"
    synthetic_json.write_text(json.dumps(profile))
    cases.append(("synthetic 1M samples, 2,000-line handler", synthetic_json, synthetic))
    pages = []
    for name, profile_path, app_dir in cases:
        out = work / (profile_path.stem + ".html")
        median_ms = time_report(profile_path, app_dir, out)
        pages.append(str(out))
        print(json.dumps({"case": name, "profileBytes": profile_path.stat().st_size,
                          "reportMedianMs": round(median_ms), "runs": RUNS, "htmlBytes": out.stat().st_size}))
    subprocess.run(["node", str(REPO / "tests/report-browser/first-paint.mjs"), *pages], check=True)


if __name__ == "__main__":
    main()
