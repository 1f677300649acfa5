"""coldspy.code_counters on each interpreter: it finds the run counter, tells code that ran since the baseline
from code that did not, re-arms stopped counters without changing what the functions do, and refuses what it
cannot see."""

import subprocess
import textwrap

import pytest

from conftest import agent_env, interpreter_version

SCRIPT = textwrap.dedent("""
    import gc
    from coldspy import code_counters

    counters = code_counters.probe()

    def since(baseline):  # the reader's own code runs too; the agent leaves out its files the same way
        ran, unseen = counters.ran_since(baseline)
        return ([code for code in ran if code.co_filename != code_counters.__file__ and code.co_name != "since"],
                [code for code in unseen if code.co_filename != code_counters.__file__])

    def make_adder(step):
        def add(value, extra=0):
            return value + step + extra
        return add

    def squares(n):
        return [i * i for i in range(n)]

    def never():
        return "never"

    add = make_adder(5)
    for i in range(1500):  # stops every counter involved: 3.9/3.10 count 1024 runs, 3.11 8
        add(i)
        squares(3)
    stopped = add.__code__
    assert counters.value(stopped) == counters.saturated

    baseline = counters.ran_codes(rearm_outside=code_counters.__file__)
    # re-armed: an equal copy of the code with a counter at its start, the same behaviour
    assert add.__code__ is not stopped and add.__code__ == stopped
    assert counters.value(add.__code__) == counters.initial
    assert squares.__code__ is not stopped

    ran, unseen = since(baseline)
    assert ran == [] and unseen == [], (ran, unseen)

    assert add(1, extra=2) == 8 and squares(4) == [0, 1, 4, 9]
    late = make_adder(1)  # a function made after the baseline from a code that existed then
    assert late(1) == 2
    ran, unseen = since(baseline)
    names = sorted({code.co_name for code in ran})
    assert names == ["<listcomp>", "add", "make_adder", "squares"] or names == ["add", "make_adder", "squares"], names
    assert unseen == []

    # a function whose code may not be replaced (an audit hook refuses) keeps its stopped counter: "unseen"
    import sys

    def guarded():
        return "guarded"

    for i in range(1500):
        guarded()

    def refuse_code_writes(event, args):
        if event == "object.__setattr__" and args[1] == "__code__":
            raise RuntimeError("no code swaps here")

    sys.addaudithook(refuse_code_writes)
    refused = counters.ran_codes(rearm_outside=code_counters.__file__)
    assert guarded() == "guarded"
    ran, unseen = since(refused)
    assert [code.co_name for code in unseen if code.co_name == "guarded"] == ["guarded"], unseen

    gc.freeze()
    try:
        counters.ran_codes()
    except code_counters.Unavailable as error:
        assert "gc.freeze()" in str(error)
    else:
        raise AssertionError("a frozen heap hides functions: the walk must refuse")
    print("ok")
""")


def test_code_counters_tell_what_ran_since_the_baseline(python):
    if interpreter_version(python) >= (3, 12):
        pytest.skip("code counters are read before Python 3.12")
    completed = subprocess.run([python, "-c", SCRIPT], env=agent_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
    assert completed.returncode == 0 and completed.stdout == "ok\n", completed.stderr


def test_code_counters_are_unavailable_from_3_12_on(python):
    if interpreter_version(python) < (3, 12):
        pytest.skip("this interpreter has code counters")
    probe = "from coldspy import code_counters\ntry:\n    code_counters.probe()\nexcept code_counters.Unavailable as e:\n    print(e)\n"
    completed = subprocess.run([python, "-c", probe], env=agent_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=60)
    assert "CPython 3.9 to 3.11 only" in completed.stdout, completed.stderr
