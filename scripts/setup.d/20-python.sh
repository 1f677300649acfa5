#!/usr/bin/env bash
# Test dependencies (the agent itself is standard library only): pytest and jsonschema (agent and fixture tests),
# moto's S3 server (with boto3) for the S3 collection tests, Python's and Java's; ruff, which the fix tests
# use to check that a fixed file stays isort-clean (`ruff check --select I`); valgrind, whose callgrind counts
# instructions for profiler/bench/instructions.py (tested in test_bench.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/setup-lib.sh
pip_install pytest jsonschema 'moto[server]' ruff
apt_install_missing valgrind
