#!/usr/bin/env bash
# Fixture apps: installs every app's pinned requirements into the machine's python3 (one environment for
# all apps, so the pins are chosen to be mutually compatible). Wheels only: no app needs a compiler.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q python3-pip
fi
requirements=()
for file in fixtures/apps/*/requirements.txt; do
  requirements+=(-r "$file")
done
python3 -m pip install --quiet --disable-pip-version-check --only-binary=:all: "${requirements[@]}"
# The fixture tests (scripts/test.d/15-fixtures.sh) run with pytest and validate profiles with jsonschema.
python3 -c "import pytest, jsonschema" 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check pytest jsonschema
