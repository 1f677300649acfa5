#!/usr/bin/env bash
# Fixture apps: layout, ground-truth findings point at real import lines, handlers reproduce their
# recorded outputs on every event; run_events.py behaviour.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m pytest -q -p no:cacheprovider fixtures/tests
