#!/usr/bin/env bash
# Engine benchmarks (figures go to docs/benchmarks.md, section "Engine: analysis and check"):
#  1. load + analyse a synthetic 1M-sample / 200k-node profile in a JVM limited to 256 MB of heap;
#  2. `coldspy check` on every fixture app end to end (process start to exit), plain and with AppCDS.
# Usage: scripts/bench/engine.sh [RUNS]   (default 5 runs per measurement; medians are printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
work=server/target/bench-engine
mkdir -p "$work"

mvn -o -q -B package -DskipTests -pl server
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile="$PWD/$work/classpath.txt" -pl server >/dev/null
jar=server/target/coldspy.jar

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== load + analyse: 200k-node / 1M-sample profile, -Xmx256m"
python3 scripts/bench/engine_profile.py "$work/large"
java -Xmx256m -cp "server/target/test-classes:server/target/classes:$(cat "$work/classpath.txt")" \
  dev.coldspy.engine.EngineBenchmark "$work/large" "$runs"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_check() { # prints the wall time in ms of one `check` run
  local start end
  start=$(date +%s%N)
  java "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

archive="$work/coldspy-check.jsa"
rm -f "$archive"
java -XX:ArchiveClassesAtExit="$archive" -jar "$jar" check --profile fixtures/profiles/rules_engine.json \
  fixtures/apps/rules_engine >/dev/null 2>&1 || true

echo "== check end to end (process start to exit), median of $runs, ms"
printf '%-16s %8s %8s\n' app plain AppCDS
for app in rules_engine pdf_report html_render data_science audit_forwarder; do
  args=(check --profile "fixtures/profiles/$app.json" "fixtures/apps/$app")
  plain=$(for _ in $(seq "$runs"); do time_check -jar "$jar" "${args[@]}"; done | median)
  cds=$(for _ in $(seq "$runs"); do time_check -XX:SharedArchiveFile="$archive" -jar "$jar" "${args[@]}"; done | median)
  printf '%-16s %8s %8s\n' "$app" "$plain" "$cds"
done
