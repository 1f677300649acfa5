#!/usr/bin/env bash
# CPython 3.14, a Lambda runtime since November 2025, for the agent's tests (profiler/tests/conftest.py
# SUPPORTED_MINORS, and scripts/test.d/20-python.sh runs the agent's suite under it). This machine's Debian has
# 3.11 only and pyenv builds from python.org's sources, which are not reachable here; Debian unstable's binary
# packages are. They are unpacked into a directory of their own, with unstable's C library and the shared
# libraries they need (its glibc is newer than the machine's), and the interpreter's ELF header points at them
# (patchelf: the loader, and an RPATH that also serves the extension modules it loads), so `python3.14` on PATH
# runs as any interpreter does, its subprocesses included, and nothing of the machine's own changes. The
# packages' file names come from unstable's index of the day. The suite's test dependencies (pytest, jsonschema,
# awslambdaric, the rules_engine fixture's requirements) go into its dist-packages through the machine's pip.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/setup-lib.sh

ROOT=/opt/coldspy/python3.14
LINK=/usr/local/bin/python3.14
MIRROR=http://deb.debian.org/debian
PACKAGES="python3.14-minimal libpython3.14-minimal libpython3.14-stdlib libc6 libgcc-s1 libssl3t64 libffi8 libexpat1
  zlib1g libzstd1 libbz2-1.0 liblzma5 libsqlite3-0 libuuid1 libncursesw6 libtinfo6 libreadline8t64 libdb5.3t64
  libmpdec4"
SITE="$ROOT/usr/lib/python3/dist-packages"  # on sys.path of Debian's build once it exists
TEST_REQUIREMENTS="pytest jsonschema awslambdaric==4.2.2 -r fixtures/apps/rules_engine/requirements.txt"

if ! "$LINK" -c 'import sys, ssl, ctypes; assert sys.version_info[:2] == (3, 14)' 2>/dev/null; then
  apt_install_missing patchelf xz-utils curl ca-certificates
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  curl -fsS --retry 3 -o "$work/Packages.xz" "$MIRROR/dists/sid/main/binary-amd64/Packages.xz"
  xz -d "$work/Packages.xz"
  rm -rf "$ROOT.new"
  mkdir -p "$ROOT.new"
  for package in $PACKAGES; do
    file=$(awk -v want="Package: $package" '$0 == want {found = 1}
      found && /^Filename:/ {print $2; exit}' "$work/Packages")
    if [ -z "$file" ]; then
      echo "python3.14: no package $package in Debian unstable's index" >&2
      exit 1
    fi
    curl -fsS --retry 3 -o "$work/package.deb" "$MIRROR/$file"
    dpkg-deb -x "$work/package.deb" "$ROOT.new"
  done
  patchelf --set-interpreter "$ROOT/usr/lib64/ld-linux-x86-64.so.2" --force-rpath \
    --set-rpath "$ROOT/usr/lib/x86_64-linux-gnu" "$ROOT.new/usr/bin/python3.14"
  rm -rf "$ROOT"
  mv "$ROOT.new" "$ROOT"
  mkdir -p "$SITE"
  ln -sfn "$ROOT/usr/bin/python3.14" "$LINK"
fi
"$LINK" -c 'import sys, ssl, ctypes, sqlite3, decimal; assert sys.version_info[:2] == (3, 14)'
if ! "$LINK" -c 'import pytest, jsonschema, awslambdaric, pathlib2, policyuniverse' 2>/dev/null; then
  pip_install --target "$SITE" --upgrade --only-binary=:all: --python-version 3.14 --implementation cp \
    --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
    $TEST_REQUIREMENTS
  "$LINK" -c 'import pytest, jsonschema, awslambdaric, pathlib2, policyuniverse'
fi
echo "python3.14: $("$LINK" -VV) at $LINK"
