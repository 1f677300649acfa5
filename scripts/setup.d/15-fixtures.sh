#!/usr/bin/env bash
# Fixture apps: installs every app's pinned requirements into the machine's python3 (one environment for
# all apps, so the pins are chosen to be mutually compatible). Wheels only: no app needs a compiler.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/setup-lib.sh
python3 -m pip --version >/dev/null 2>&1 || apt_install_missing python3-pip
# lightgbm's wheel (fraud_scoring) links the system's OpenMP runtime.
apt_install_missing libgomp1
requirements=()
for file in fixtures/apps/*/requirements.txt; do
  requirements+=(-r "$file")
done
# A Debian-managed python3 refuses plain installs (PEP 668); CI machines are throwaway, so install anyway.
pip_install() {
  python3 -m pip install --quiet --disable-pip-version-check "$@" \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$@"
}
pip_install --only-binary=:all: "${requirements[@]}"
# The fixture tests (scripts/test.d/15-fixtures.sh) run with pytest and validate profiles with jsonschema.
python3 -c "import pytest, jsonschema" 2>/dev/null || pip_install pytest jsonschema
