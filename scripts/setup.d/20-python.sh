#!/usr/bin/env bash
# Test dependencies of the profiler agent (the agent itself is standard library only): pytest, jsonschema, and
# moto's S3 server (with boto3) for the S3 collection tests, Python's and Java's; ruff, which the fix tests
# use to check that a fixed file stays isort-clean (`ruff check --select I`).
set -euo pipefail
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q python3-pip
fi
python3 -m pip install -q --disable-pip-version-check pytest jsonschema 'moto[server]' ruff \
  || python3 -m pip install -q --disable-pip-version-check --break-system-packages pytest jsonschema 'moto[server]' ruff
