#!/usr/bin/env bash
# Test dependencies (the agent itself is standard library only): pytest and jsonschema (agent and fixture tests),
# moto's S3 server (with boto3) for the S3 collection tests, Python's and Java's; awslambdaric, Lambda's own
# Python runtime client, which test_runtime_client.py runs the exec wrapper under (pinned: a release without a
# wheel for this Python would need a C++ build); ruff, which the fix tests
# use to check that a fixed file stays isort-clean (`ruff check --select I`); valgrind, whose callgrind counts
# instructions for profiler/bench/instructions.py (tested in test_bench.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/setup-lib.sh
pip_install pytest jsonschema 'moto[server]' ruff awslambdaric==4.2.2
apt_install_missing valgrind
