#!/usr/bin/env bash
# Benchmark of the Python source model and fix planner (dev.coldspy.python.SourceModelBenchmark):
# parse, incremental re-parse, import index, scope model and all fix plans for 2,000 / 20,000-line modules.
# Usage: scripts/bench/source_model.sh [LINES...]   (figures go to docs/benchmarks.md, "Source model and fixes")
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -o -pl server test-compile
classpath_file=$(mktemp)
trap 'rm -f "$classpath_file"' EXIT
mvn -q -B -o -pl server dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
java -cp "server/target/test-classes:server/target/classes:$(cat "$classpath_file")" \
  dev.coldspy.python.SourceModelBenchmark "$@"
