#!/usr/bin/env bash
# Runs every test suite of the repository: first scripts/setup.sh installs what the suites need (idempotent:
# seconds when all is there; COLDSPY_SKIP_SETUP=1 skips it), then each part of the project adds one script to
# scripts/test.d/, run in name order. Stops at the first failing part and exits with its status.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${COLDSPY_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
for part in scripts/test.d/*.sh; do
  echo "=== ${part#scripts/test.d/}"
  bash "$part"
done
echo "=== all test suites passed"
