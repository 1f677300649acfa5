#!/usr/bin/env bash
# Runs every test suite of the repository: each part of the project adds one script to scripts/test.d/,
# run in name order. Stops at the first failing part and exits with its status.
set -euo pipefail
cd "$(dirname "$0")/.."
for part in scripts/test.d/*.sh; do
  echo "=== ${part#scripts/test.d/}"
  bash "$part"
done
echo "=== all test suites passed"
