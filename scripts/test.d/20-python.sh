#!/usr/bin/env bash
# Profiler agent (profiler/coldspy): pytest on every CPython 3.9-3.13 the machine has (the tests parametrize
# over the interpreters themselves). pytest's exit status 5 ("no tests collected") counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
python3 -m pytest -q -p no:cacheprovider profiler/tests
status=$?
if [ "$status" -eq 5 ]; then
  echo "profiler: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
