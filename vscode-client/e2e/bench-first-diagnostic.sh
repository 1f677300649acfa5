#!/bin/sh
# Benchmark: time from opening a file in a real VS Code host to the first ColdSpy diagnostic on screen.
# Runs the end-to-end scenario RUNS times (default 5), each in a fresh code-server + Chromium, and prints every
# figure, the medians and where the time went. Each run measures three sessions: the first after installing the
# extension (no class-data archive yet, Java looked for) and a later one of the same installation (archive and
# Java from the first), both clicking the file as soon as the Explorer shows, while VS Code still starts its
# extension host; and a third of the same installation where the file is opened in a window already up (the
# extension host started and settled, ColdSpy not active until the Python file opens), which is what a user
# opening a file pays. Each: a click on the fixture handler in the Explorer (Quick Open's file search lags on a
# loaded machine), until the first squiggle element appears in the editor (a MutationObserver in the page, so
# the figure does not depend on polling); the steps between come from VS Code's extension host log and the
# ColdSpy log (e2e/startupBreakdown.js).
# Needs what run-e2e.sh needs. Usage: e2e/bench-first-diagnostic.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
rm -rf test-artifacts/bench
mkdir -p test-artifacts/bench
i=1
while [ "$i" -le "$runs" ]; do
  # The figures are written as soon as each diagnostic shows; a later step of the scenario failing does not void them.
  COLDSPY_E2E_UNTRUSTED=0 COLDSPY_E2E_FIRST_RUN=0 sh e2e/run-e2e.sh >"test-artifacts/bench/run-$i.log" 2>&1 || true
  [ -f test-artifacts/e2e/metrics.json ] || { echo "run $i: no diagnostic appeared (see test-artifacts/bench/run-$i.log)" >&2; exit 1; }
  cp test-artifacts/e2e/metrics.json "test-artifacts/bench/metrics-$i.json"
  node -e "const m = require('./test-artifacts/bench/metrics-$i.json'); const ms = (s) => (s ? s.firstDiagnosticMs + ' ms' : 'not measured'); console.log('run $i: first session ' + ms(m.breakdown && m) + ', later session ' + ms(m.laterSession) + ', window already up ' + ms(m.windowAlreadyUp))"
  i=$((i + 1))
done
echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
node e2e/bench-summary.js test-artifacts/bench/metrics-*.json
