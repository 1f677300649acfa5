"""The sampler reads f_lasti in its timed phases and works the line out later: line_of(code, f_lasti) must be
exactly the frame's f_lineno, on every supported CPython, wherever a frame can be."""

import subprocess

from conftest import agent_env

CHECK = r'''
import sys
from coldspy.agent import Agent, line_of

checked = []
POSITIONS = []


def check_stack():
    frame = sys._getframe(1)
    while frame is not None:
        expected = frame.f_lineno
        got = line_of(frame.f_code, frame.f_lasti)
        assert got == expected, "%s:%s: line_of says %s, f_lineno %s" % (
            frame.f_code.co_filename, frame.f_code.co_name, got, expected)
        POSITIONS.append((frame.f_code, frame.f_lasti, expected))
        checked.append(expected)
        frame = frame.f_back
    return 1


PADDING = """
""" + "value = 1\n" * 400  # a long module body: the line table has hundreds of entries before the call

exec(compile(PADDING + "check_stack()\n", "<long module>", "exec"), {"check_stack": check_stack})


class Body:
    x = check_stack()

    def method(self, a,
               b):
        try:
            raise ValueError(a)
        except ValueError:
            return (a
                    + check_stack()
                    + b)


def generator():
    yield check_stack()
    with open(__file__) as source:
        yield check_stack()


Body().method(1, 2)
list(generator())
[check_stack() for _ in range(2)]
(lambda: check_stack())()
assert len(checked) >= 12, checked
# The agent's table-reading lookup agrees, whatever the order of offsets within one code object.
for order in (POSITIONS, sorted(POSITIONS, key=lambda p: -p[1]), POSITIONS[::-1]):
    agent = Agent(interval_us=0)
    for code, offset, expected in order + order:
        assert agent._line(code, offset) == expected, (code.co_name, offset, agent._line(code, offset), expected)
print("ok", len(checked))
'''


def test_line_of_offset_is_f_lineno(python, tmp_path):
    script = tmp_path / "check_lines.py"
    script.write_text(CHECK)
    completed = subprocess.run([python, str(script)], env=agent_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("ok ")
