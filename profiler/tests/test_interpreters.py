"""The test matrix finds its interpreters on PATH too (CI machines have no pyenv under /root)."""

import os
import sys

import conftest


def _without_pyenv(monkeypatch, path_dir):
    monkeypatch.setattr(conftest.glob, "glob", lambda pattern: [])
    monkeypatch.setenv("PATH", str(path_dir))


def test_a_python3_x_on_path_is_used(tmp_path, monkeypatch):
    minor = sys.version_info[1]
    os.symlink(sys.executable, str(tmp_path / ("python3.%d" % minor)))
    _without_pyenv(monkeypatch, tmp_path)

    assert conftest._interpreter(minor) == str(tmp_path / ("python3.%d" % minor))


def test_a_name_on_path_that_is_not_that_version_is_skipped(tmp_path, monkeypatch):
    minor = sys.version_info[1]
    other = 9 if minor != 9 else 10
    # A pyenv shim for a version that is not installed: it exists on PATH but does not start.
    shim = tmp_path / ("python3.%d" % other)
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.%d: command not found' >&2\nexit 127\n" % other)
    shim.chmod(0o755)
    _without_pyenv(monkeypatch, tmp_path)

    assert conftest._interpreter(other) is None
    assert conftest._interpreter(minor) == sys.executable  # the running interpreter is always there
