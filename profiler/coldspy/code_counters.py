"""The "code-counters" usage signal: which code ran, read from counters CPython 3.9-3.11 already keep.

Before 3.12 the standard library's ways to see calls (sys.setprofile, sys.settrace, cProfile) cost something
on every call: +83 % to +115 % of execution on a call-heavy handler (docs/benchmarks.md). But those
interpreters count, in each code object, the runs of its code for their own purposes, whether anyone looks
or not: 3.9 and 3.10 count frame evaluations up to 1024 before building the code's opcode cache
(`co_opcache_flag`), 3.11 counts runs and loop jumps up to 8 before specialising the code (`co_warmup`). A
code whose counter moved between two readings ran between them; one whose counter is at its starting value
never ran. Reading costs nothing per call, only a walk over the live functions when the agent reads (a few
milliseconds, docs/benchmarks.md).

The counter is a private field with no Python API, so the reader finds it instead of trusting a layout:
`probe()` makes fresh functions, calls them and looks, within the fixed part of a code object, for the one
16-bit field that starts equal in two fresh codes and moves by exactly one per call; it also learns the
value at which the counter stops. Anything else (another interpreter, no such field, two candidates) makes
the signal unavailable. Only reads happen, at addresses inside live code objects the reader holds.

A counter that had stopped (saturated) by the end of init could not show later runs: the baseline re-arms
those functions with an equal copy of their code (see `Counters.ran_codes`).

Limits, each reported rather than guessed:
- a function that could not be re-armed cannot tell: its module is listed as unseen when nothing else in it
  ran (the engine then falls back to samples for it);
- code run by an import during the execution phase counts as run, as the counters cannot tell an import's
  own code from a call (sys.monitoring and setprofile can);
- functions reachable only through objects frozen by `gc.freeze()` are invisible: the reader refuses.
"""

import gc
import sys

_LAMBDA = lambda: None  # noqa: E731
_FUNCTION = type(_LAMBDA)
_CODE = type(_LAMBDA.__code__)

# How many calls the probe makes to learn where a counter stops (above both known limits, 8 and 1024).
_PROBE_SATURATION_CALLS = 2000


class Unavailable(Exception):
    """The interpreter keeps no counter this reader can find."""


class Counters:
    """Reads one code object's run counter. Made by `probe()`."""

    def __init__(self, memory, offset, initial, saturated):
        self._memory = memory  # an array of 16-bit words starting at address 0, indexed by address // 2
        self._offset = offset
        self.initial = initial
        self.saturated = saturated

    def value(self, code):
        return self._memory[(id(code) + self._offset) >> 1]

    def ran_codes(self, rearm_outside=None):
        """{id: (code, counter)} of every reachable code whose counter left its starting value (the codes of all
        live functions, and the codes nested in those that ran: a nested code can only have run if the code
        holding it ran, to make its function), and the ids of the live functions' codes.

        With `rearm_outside` (a path prefix), every live function outside it whose counter had stopped gets an
        equal copy of its code (`code.replace()`, with a counter at its start), so that its later runs show:
        a stopped counter is common (3.11 stops at 8 runs, and a library's helpers often run more than that
        while it is imported). Code objects compare equal by value, and CPython supports assigning
        `__code__`; the copy only re-warms its specialised instructions once. A nested code with no function
        of its own needs no copy: it can only run again inside a new run of the function holding it."""
        if gc.get_freeze_count():
            raise Unavailable("gc.freeze() hid %d objects from the walk over functions" % gc.get_freeze_count())
        memory = self._memory
        offset = self._offset
        initial = self.initial
        functions = [function for function in gc.get_objects() if type(function) is _FUNCTION]
        codes = [function.__code__ for function in functions]
        if rearm_outside is not None:
            saturated = self.saturated
            copies = {}
            for function, code in zip(functions, codes):
                if memory[(id(code) + offset) >> 1] == saturated and not code.co_filename.startswith(rearm_outside):
                    copy = copies.get(id(code))
                    if copy is None:
                        copy = copies[id(code)] = code.replace()
                    try:
                        function.__code__ = copy
                    except (TypeError, ValueError):
                        pass  # left as it was: ran_since() reports it unseen
        own = {id(function.__code__) for function in functions}
        ran = {}
        while codes:
            values = [memory[(address + offset) >> 1] for address in map(id, codes)]
            nested = []
            for code, counter in zip(codes, values):
                if counter != initial and id(code) not in ran:
                    ran[id(code)] = (code, counter)
                    nested.extend(constant for constant in code.co_consts if type(constant) is _CODE)
            codes = nested
        return ran, own

    def ran_since(self, baseline):
        """(codes that ran since `baseline`, a `ran_codes()` result; functions' codes whose counter had stopped
        at the baseline and were not re-armed, so cannot tell). Code made after the baseline (a re-armed copy
        included) counts from its starting value."""
        ran = []
        unseen = []
        saturated = self.saturated
        before_ran, before_own = baseline
        now_ran, own = self.ran_codes()
        for address, (code, counter) in now_ran.items():
            before = before_ran.get(address)
            if before is None or before[1] != counter:
                ran.append(code)
            elif counter == saturated and address in own and address in before_own:
                # A function's code that kept its stopped counter. (A function made since the baseline from a
                # stopped nested code needs none: making it ran the code holding it, in the same file.)
                unseen.append(code)
        return ran, unseen


def probe():
    """The `Counters` of this interpreter; raises `Unavailable` (with the reason) where there are none."""
    if sys.implementation.name != "cpython" or not (3, 9) <= sys.version_info[:2] < (3, 12):
        raise Unavailable("code counters are read on CPython 3.9 to 3.11 only (this is %s %d.%d)"
                          % (sys.implementation.name, sys.version_info[0], sys.version_info[1]))
    import _ctypes  # the extension module alone: ctypes' package would cost ~1 ms more

    class Word(_ctypes._SimpleCData):
        _type_ = "h"

    memory = (Word * (sys.maxsize // 2)).from_address(0)
    words = _CODE.__basicsize__ // 2

    def fresh():
        namespace = {}
        exec(compile("def probe(value):\n    return value\n", "<coldspy code-counters probe>", "exec"), namespace)
        return namespace["probe"]

    def fields(code):
        base = id(code) >> 1
        return [memory[base + index] for index in range(words)]

    called, untouched = fresh(), fresh()
    readings = [fields(called.__code__)]
    for _ in range(3):
        called(None)
        readings.append(fields(called.__code__))
    other = fields(untouched.__code__)
    first = readings[0]
    found = [index for index in range(words)
             if first[index] == other[index]
             and all(reading[index] == first[index] + step for step, reading in enumerate(readings))]
    if len(found) != 1:
        raise Unavailable("no single run counter in a code object (%d candidates)" % len(found))
    offset = found[0] * 2
    counters = Counters(memory, offset, first[found[0]], None)
    for _ in range(_PROBE_SATURATION_CALLS):
        called(None)
    saturated = counters.value(called.__code__)
    called(None)
    if counters.value(called.__code__) != saturated or saturated == counters.initial:
        raise Unavailable("the run counter does not settle")
    counters.saturated = saturated
    return counters
