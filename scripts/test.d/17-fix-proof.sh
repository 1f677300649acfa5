#!/usr/bin/env bash
# Fix proof: `coldspy fix` on a copy of every fixture app keeps each event's output identical, every file
# compiles, a second run changes nothing and init gets faster where fixes were applied (median of 3 cold
# starts per copy: the smallest gain on the fixtures is ~40 %) (needs the jar from 10-java and the fixture
# installs of 15). Init-time figures for docs/benchmarks.md come from the same script with --starts 11.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/fix_proof.py --starts 3
