#!/usr/bin/env bash
# Fixture apps: installs every app's pinned requirements into the machine's python3 (one environment for
# all apps, so the pins are chosen to be mutually compatible). Wheels only: no app needs a compiler.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/setup-lib.sh
# lightgbm's wheel (fraud_scoring) links the system's OpenMP runtime.
apt_install_missing libgomp1
requirements=()
for file in fixtures/apps/*/requirements.txt; do
  requirements+=(-r "$file")
done
pip_install --only-binary=:all: "${requirements[@]}"
