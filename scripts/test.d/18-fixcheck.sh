#!/usr/bin/env bash
# The fix-checking tools (scripts/fixcheck: the all-unused profile, the probe) that the differential fix
# corpus (FixDifferentialCorpusTest, run by 10-java) and the real-code sweep rely on. The sweep itself needs
# the network (pip download) and takes minutes: run `python3 scripts/fixcheck/sweep.py` by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m pytest -q -p no:cacheprovider scripts/fixcheck
