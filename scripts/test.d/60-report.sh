#!/usr/bin/env bash
# The HTML report in a real browser: writes a fixture's report with the jar built by 10-java.sh, opens it in
# headless Chromium and checks the table (statement and module rows), the call tree, the filters, the
# before/after CDF plots and a synthetic 1M-sample report (python3 builds it with scripts/bench/synthetic_profile.py);
# screenshots in test-artifacts/report/.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f server/target/coldspy.jar ] || mvn -q -B -ntp package -DskipTests
[ -d tests/report-browser/node_modules ] || (cd tests/report-browser && npm ci --no-audit --no-fund)
cd tests/report-browser
node --test report.test.mjs
