#!/usr/bin/env bash
# The HTML report in a real browser: writes a fixture's report with the jar built by 10-java.sh, opens it in
# headless Chromium and checks the table (statement and module rows), the call tree, the filters, the
# before/after CDF plots, what lies below a CS106 line (heart_rate, fraud_scoring) and a synthetic 1M-sample
# report (python3 builds it with scripts/bench/synthetic_profile.py);
# screenshots in test-artifacts/report/ (playwright-core and Chromium come from scripts/setup.d/60-report.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f server/target/coldspy.jar ] || mvn -q -B -ntp package -DskipTests
cd tests/report-browser
node --test report.test.mjs
