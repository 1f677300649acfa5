#!/usr/bin/env bash
# HTML report browser test: Debian's Chromium and playwright-core (no browser download by the test tool).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/setup-lib.sh
apt_install_missing chromium
npm_ci_once tests/report-browser
