#!/bin/sh
# Benchmark: time from opening a file in a real VS Code host to the first ColdSpy diagnostic on screen.
# Runs the end-to-end scenario RUNS times (default 5), each in a fresh code-server + Chromium, and prints every
# figure and the median. Each run: a click on the fixture handler in the Explorer (Quick Open's file search lags
# on a loaded machine), until the first squiggle element appears in the editor (a MutationObserver in the page,
# so the figure does not depend on polling).
# Needs what run-e2e.sh needs. Usage: e2e/bench-first-diagnostic.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
figures=""
mkdir -p test-artifacts/bench
i=1
while [ "$i" -le "$runs" ]; do
  # The figure is written as soon as the diagnostic shows; a later step of the scenario failing does not void it.
  COLDSPY_E2E_UNTRUSTED=0 COLDSPY_E2E_FIRST_RUN=0 sh e2e/run-e2e.sh >"test-artifacts/bench/run-$i.log" 2>&1 || true
  [ -f test-artifacts/e2e/metrics.json ] || { echo "run $i: no diagnostic appeared (see test-artifacts/bench/run-$i.log)" >&2; exit 1; }
  ms=$(node -p "require('./test-artifacts/e2e/metrics.json').firstDiagnosticMs")
  echo "run $i: ${ms} ms"
  figures="$figures $ms"
  i=$((i + 1))
done
echo "$figures" | tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { printf "median %d ms, min %d ms, max %d ms over %d runs\n", a[int((NR + 1) / 2)], a[1], a[NR], NR }'
