"""Sampled stacks: import-phase vs execution-phase tagging, the calling-context tree, per-invocation counts."""

import importlib.abc
import importlib.util
import os
import sys
import types
import weakref

import pytest

from coldspy.agent import Agent
from conftest import FAR_PADDING, PROFILER_DIR, line_number, profile_app, write_app

APP = {
    "handler.py": """
        def init_burn():
            total = 0
            for i in range(4500000):
                total += i
            return total


        init_burn()


        def busy():
            total = 0
            for i in range(3000000):
                total += i
            return total


        def handler(event, context):
            if event.get("lazy"):
                import slow_lazy
            busy()
            return "done"
        """,
    "slow_lazy.py": """
        def lazy_burn():
            total = 0
            for i in range(3000000):
                total += i
            return total


        lazy_burn()
        """,
    "events/a_lazy.json": {"lazy": True},
    "events/b_plain.json": {"lazy": False},
}


def samples_by_function(profile):
    """function name -> [import samples, execution samples] at nodes whose frame is that function (self)."""
    frames = profile["callTree"]["frames"]
    totals = {}
    for parent, frame, import_samples, execution_samples in profile["callTree"]["nodes"][1:]:
        counts = totals.setdefault(frames[frame][1], [0, 0])
        counts[0] += import_samples
        counts[1] += execution_samples
    return totals


@pytest.mark.parametrize("clock", ["wall", "cpu"])
def test_samples_are_split_by_phase(tmp_path, python, clock):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "2", "--clock", clock])
    assert profile["settings"]["clock"] == clock
    assert profile["settings"]["sampleIntervalUs"] == 1000
    assert profile["errors"] == []
    by_function = samples_by_function(profile)

    # Fixed work (not a time budget, so the CPU clock sees the same work on a busy machine): init_burn takes
    # ~0.1-0.2 s, busy and lazy_burn 2/3 of that, depending on the interpreter. Loose bounds; exact phases.
    assert by_function["init_burn"][0] >= 2 * 30 and by_function["init_burn"][1] == 0
    assert by_function["busy"][1] >= 4 * 20 and by_function["busy"][0] == 0
    # A lazy import during a handler call is import phase, not use.
    assert by_function["lazy_burn"][0] >= 2 * 20 and by_function["lazy_burn"][1] == 0

    for cold_start in profile["coldStarts"]:
        assert cold_start["samples"]["import"] >= 30 + 20
        assert cold_start["samples"]["execution"] >= 2 * 20
        assert sum(inv["samples"] for inv in cold_start["invocations"]) == cold_start["samples"]["execution"]
        usage = cold_start["moduleUsage"]
        assert usage["handler"]["samples"] == cold_start["samples"]["execution"]  # every stack holds handler
        assert usage["slow_lazy"]["samples"] == 0
        assert usage["slow_lazy"]["executed"] is False


def test_call_tree_frames_have_files_lines_and_modules_without_agent_frames(tmp_path):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, extra=["--cold-starts", "1", "--invocations", "2"])
    handler_py = os.path.join(root, "handler.py")
    files = profile["files"]
    frames = profile["callTree"]["frames"]
    nodes = profile["callTree"]["nodes"]

    assert not [f for f in frames if f[0] >= 0 and files[f[0]].startswith(os.path.join(PROFILER_DIR, "coldspy"))]
    busy_lines = {f[2] for f in frames if f[1] == "busy"}
    loop = line_number(handler_py, "for i in range(3000000):")
    assert busy_lines <= {loop, loop + 1}, busy_lines
    for frame in frames:
        if frame[1] in ("busy", "handler", "init_burn"):
            assert files[frame[0]] == handler_py and frame[3] == "handler"
    # The path to `busy` goes root -> handler (at the call line) -> busy; parents come before children.
    for index, (parent, frame, _, _) in enumerate(nodes[1:], 1):
        assert 0 <= parent < index
        if frames[frame][1] == "busy":
            parent_frame = frames[nodes[parent][1]]
            assert parent_frame[1] == "handler" and parent_frame[2] == line_number(handler_py, "    busy()")
    assert nodes[0] == [-1, -1, 0, 0]


def test_sampling_can_be_turned_off(tmp_path):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, extra=["--cold-starts", "1", "--interval-ms", "0"])
    assert profile["settings"]["sampleIntervalUs"] == 0
    assert profile["callTree"]["nodes"] == [[-1, -1, 0, 0]]
    assert profile["coldStarts"][0]["samples"] == {"import": 0, "execution": 0}



NESTED = {
    "handler.py": """
        import outer_mod


        def handler(event, context):
            return outer_mod.VALUE
        """,
    "outer_mod.py": """
        import middle_mod
        VALUE = middle_mod.VALUE
        """,
    "middle_mod.py": """
        import inner_mod
        VALUE = inner_mod.burn()
        """,
    "inner_mod.py": """
        def burn():
            total = 0
            for i in range(3000000):
                total += i
            return total


        EARLY = burn()
        """,
    "events/one.json": {},
}


def test_samples_inside_nested_imports_carry_the_whole_import_chain(tmp_path, python):
    # The sampler walks each import's own frames once and shares the rest with the enclosing imports: every
    # sample in inner_mod's burn() must still hang below handler -> outer_mod -> middle_mod at their lines.
    root = write_app(tmp_path, NESTED)
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--invocations", "1"])
    files = profile["files"]
    frames = profile["callTree"]["frames"]
    nodes = profile["callTree"]["nodes"]

    def where(node):
        file_index, function, line, _module = frames[nodes[node][1]]
        return os.path.basename(files[file_index]), function, line

    def app_path(node):
        """The frames of the app's files from the root to `node` (import machinery left out)."""
        path = []
        while node > 0:
            if where(node)[0].endswith(".py"):
                path.append(where(node))
            node = nodes[node][0]
        return path[::-1]

    burn_line = line_number(os.path.join(root, "inner_mod.py"), "total += i")
    loop_line = burn_line - 1
    burning = [node for node in range(1, len(nodes))
               if where(node)[:2] == ("inner_mod.py", "burn") and nodes[node][2] > 0]
    assert burning, "no import-phase sample inside inner_mod.burn"
    early = line_number(os.path.join(root, "inner_mod.py"), "EARLY = burn()")
    from_middle = line_number(os.path.join(root, "middle_mod.py"), "VALUE = inner_mod.burn()")
    for node in burning:
        chain = app_path(node)
        assert chain[0] == ("handler.py", "<module>", 1)
        assert chain[1] == ("outer_mod.py", "<module>", 1)
        assert chain[-1][:2] == ("inner_mod.py", "burn") and chain[-1][2] in (loop_line, burn_line)
        # burn() runs twice: inside inner_mod's import, and from middle_mod's body after it.
        assert chain[2:-1] in ([("middle_mod.py", "<module>", 1), ("inner_mod.py", "<module>", early)],
                               [("middle_mod.py", "<module>", from_middle)]), chain


# A module body that runs for a while on the CPU (40 M iterations), for the sampler to land in.
BUSY_BODY = "total = 0\nfor i in range(40000000):\n    total += i\n    if total < 0:\n        break\n"


class _BodyLoader(importlib.abc.Loader):
    def __init__(self, code):
        self.code = code

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        code, self.code = self.code, None  # the body's code is left to whoever else holds it
        exec(code, module.__dict__)


def importable_body(monkeypatch, name, source):
    """Makes `import <name>` run `source`, compiled here as `<name>.py`, as its module body; returns a weak
    reference to that code object, which nothing but the import holds once it has run."""
    body = compile(source, name + ".py", "exec")
    held = weakref.ref(body)
    loader = _BodyLoader(body)

    class BodyFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, wanted, path=None, target=None):
            return importlib.util.spec_from_loader(wanted, loader) if wanted == name else None

    monkeypatch.setattr(sys, "meta_path", [BodyFinder()] + sys.meta_path)
    return held


def test_a_module_bodys_samples_keep_its_lines_not_its_code(tmp_path, monkeypatch):
    # A module's body code (and its constants and names) is freed once the module is imported. Samples taken
    # in it used to hold it until the first fold, after the first response: init's memory, and objects the
    # collector counted, which moved the application's own collections (a full one into a first invocation).
    # Near the top of a body the line is read as the sample is taken; far into it the code is kept, as the
    # line would cost a scan of its table at every tick.
    near = tmp_path / "near_body.py"
    near.write_text("import os\n" + BUSY_BODY)
    far = tmp_path / "far_body.py"
    far.write_text(FAR_PADDING + BUSY_BODY)
    monkeypatch.syspath_prepend(str(tmp_path))
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    try:
        import near_body  # noqa: F401
        import far_body  # noqa: F401
    finally:
        agent.end_init()
        sys.modules.pop("near_body", None)
        sys.modules.pop("far_body", None)
    try:
        held = {item.co_filename for item in agent._pending_samples[0][1]
                if isinstance(item, types.CodeType) and item.co_name == "<module>"}
        assert str(near) not in held
        assert str(far) in held
        profile = agent.snapshot()
    finally:
        agent.finish()
    frames = profile["callTree"]["frames"]
    samples = {}
    for _parent, frame, import_samples, _execution in profile["callTree"]["nodes"][1:]:
        filename, function, line, _module = frames[frame]
        if function == "<module>" and filename in (str(near), str(far)):
            samples[(filename, line)] = samples.get((filename, line), 0) + import_samples
    loop = range(line_number(str(near), "for i in"), line_number(str(near), "break") + 1)
    far_loop = range(line_number(str(far), "for i in"), line_number(str(far), "break") + 1)
    assert {line for filename, line in samples if filename == str(near)} <= set(loop), samples
    assert {line for filename, line in samples if filename == str(far)} <= set(far_loop), samples
    assert sum(count for (filename, _), count in samples.items() if filename == str(near)) >= 20
    assert sum(count for (filename, _), count in samples.items() if filename == str(far)) >= 20
    assert agent.errors == []


def test_no_module_body_sampled_at_init_is_held_once_init_has_ended(monkeypatch):
    # Not in the samples (above), and not in the sampler's cache of the module line it read last either.
    held = importable_body(monkeypatch, "generated_body", BUSY_BODY)
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    try:
        import generated_body  # noqa: F401  (its samples stop at this frame, the import's caller)
        del sys.modules["generated_body"]
        agent.end_init()
        assert agent.sample_counts == [0, 0] and agent._pending_samples  # sampled, not folded yet
        assert held() is None
    finally:
        agent.finish()


def test_a_module_body_far_into_its_code_is_let_go_once_its_samples_are_folded(monkeypatch):
    # Kept by its samples (its lines are read when folding), then by the folding caches: an environment lives
    # on for thousands of invocations, and the body's constants would stay in its memory for good.
    held = importable_body(monkeypatch, "far_generated_body", FAR_PADDING + BUSY_BODY)
    agent = Agent(interval_us=1000, clock="cpu", usage_signal="none")
    agent.start()
    try:
        import far_generated_body  # noqa: F401
        del sys.modules["far_generated_body"]
        agent.end_init()
        assert held() is not None  # in the samples, to be folded
        profile = agent.snapshot()
        assert held() is None
    finally:
        agent.finish()
    loop = {line for line in range(401, 406)}
    lines = {frame[2] for frame in profile["callTree"]["frames"]
             if frame[0] == "far_generated_body.py" and frame[1] == "<module>"}
    assert lines and lines <= loop, lines
