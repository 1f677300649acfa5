#!/usr/bin/env bash
# Profiler agent (profiler/coldspy): pytest on every CPython 3.9-3.14 the machine has (the tests parametrize
# over the interpreters themselves), then the suite again with CPython 3.14 as the test interpreter
# (scripts/setup.d/25-python314.sh), so that the agent's in-process paths of 3.12 and later (sys.monitoring,
# the interpreter's own start without `collections`) and Lambda's runtime client on 3.14 run too. That pass
# leaves out the fixture apps (their pinned libraries are installed for the machine's python3 only) and the S3
# tests (moto's server likewise). pytest's exit status 5 ("no tests collected") counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

run() {
  "$@"
  local status=$?
  if [ "$status" -eq 5 ]; then
    echo "profiler: pytest collected no tests ($*)" >&2
    return 1
  fi
  return "$status"
}

run python3 -m pytest -q -p no:cacheprovider profiler/tests || exit
echo "--- profiler/tests under python3.14"
run python3.14 -m pytest -q -p no:cacheprovider profiler/tests --ignore=profiler/tests/test_fixtures.py \
  --ignore=profiler/tests/test_s3_upload.py --ignore=profiler/tests/test_lambda_s3.py
