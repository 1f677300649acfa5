#!/usr/bin/env bash
# Fixture apps: installs every app's pinned requirements into the machine's python3 (one environment for
# all apps, so the pins are chosen to be mutually compatible). Wheels only: no app needs a compiler.
set -euo pipefail
cd "$(dirname "$0")/../.."
requirements=()
for file in fixtures/apps/*/requirements.txt; do
  requirements+=(-r "$file")
done
python3 -m pip install --quiet --disable-pip-version-check --only-binary=:all: "${requirements[@]}"
# The fixture tests (scripts/test.d/15-fixtures.sh) run with pytest.
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pytest
