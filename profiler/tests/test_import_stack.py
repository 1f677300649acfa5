"""The agent's import wrapper does not make the interpreter map and unmap frame memory over and over.

CPython 3.11+ frees a 16 KB chunk of its frame stack as soon as the frame that opened it returns, so a
function called again and again right at a chunk boundary maps and unmaps memory (a page fault each time).
The agent's wrapper frames move the boundaries; on a 300-module app that was 7,500 extra faults and +10 %
of init CPU. The agent runs each thread's outermost import in a frame that opens a roomy chunk.

The app below sweeps a recursion 30 frames deep at each of 30 import levels: without the agent some levels
straddle a boundary and fault on every sweep (on interpreters without CPython's later fix, which keeps one freed
chunk). Under the agent the whole import tree runs in one chunk.
"""

import subprocess

import pytest

from conftest import PROFILER_DIR, interpreter_version, write_app

LEVELS = 30
SWEEPS = 50

IMPORT_AND_COUNT_FAULTS = """
import resource, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "agent":
    from coldspy.agent import Agent
    Agent(0, "cpu", "none").start()  # import hook only: the sampler's signals would add their own faults
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
import level0
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _deep_app(root):
    files = {}
    for level in range(LEVELS):
        source = "import level%d\n" % (level + 1) if level + 1 < LEVELS else ""
        source += "def down(k):\n    return 0 if k == 0 else down(k - 1)\n\n"
        source += "for _ in range(%d):\n    down(30)\n" % SWEEPS
        files["level%d.py" % level] = source
    return write_app(root, files)


def _import_faults(python, app, side):
    out = subprocess.run([python, "-c", IMPORT_AND_COUNT_FAULTS, app, side], env={"PYTHONPATH": PROFILER_DIR},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def test_imports_under_the_agent_fault_no_more_than_without_it(tmp_path, python):
    if interpreter_version(python) < (3, 11):
        pytest.skip("frames are separate heap objects before 3.11: no frame-stack chunks")
    app = _deep_app(tmp_path)
    plain = min(_import_faults(python, app, "plain") for _ in range(2))
    profiled = max(_import_faults(python, app, "agent") for _ in range(2))
    # A level that straddles a chunk boundary faults once per sweep. Without the roomy frame the agent side
    # faulted more than the plain one (e.g. 315 against 250 on 3.11.7, whose plain side thrashes too); with it, the
    # import tree's frames never leave one chunk. Interpreters that keep a freed chunk for the next push (3.14.x
    # and later 3.13.x, CPython gh-142183) thrash on neither side: 44 against 41 on 3.14.10, the agent's own pages.
    assert profiled < plain + SWEEPS, "faults importing %d levels: %d under the agent, %d without" % (
        LEVELS, profiled, plain)
