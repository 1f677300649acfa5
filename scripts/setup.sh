#!/usr/bin/env bash
# Installs what the test suites need, idempotently: every step in scripts/setup.d/ checks what is there and
# installs only what is missing, so a second run takes seconds. scripts/test-all.sh runs it first; .ci/run
# runs scripts/test-all.sh. Needs root (or sudo-less apt) only when a Debian package is missing.
# What it installs and why: see the README ("The two commands").
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
for step in scripts/setup.d/*.sh; do
  echo "=== setup: ${step#scripts/setup.d/}"
  bash "$step"
done
