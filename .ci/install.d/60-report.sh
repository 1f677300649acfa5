#!/usr/bin/env bash
# HTML report browser test: Debian's Chromium and playwright-core (no browser download by the test tool).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends chromium
fi
(cd tests/report-browser && npm ci --no-audit --no-fund)
