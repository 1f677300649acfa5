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
those functions with an equal copy of their code (see `Counters.ran_codes`). What the program can see of
that: `f.__code__` is another (equal) object than before; audit hooks see a `code.__new__` and an
`object.__setattr__` event per re-armed function; the copy starts without the interpreter's caches (3.11
re-specialises after 8 runs, 3.9/3.10 rebuild the opcode cache after 1024: a few % slower per call until
then) and without `co_extra` (what PEP 523 tools such as debuggers attach); the old code objects stay in
memory (1-2 MB on the fixture apps).

Limits, each reported rather than guessed:
- a function that could not be re-armed (an audit hook refused), or a generator or coroutine suspended since
  before the baseline whose counter had stopped (its frame keeps the old code), cannot tell: its module is
  listed as unseen when nothing else in it ran (the engine then falls back to samples for it);
- on 3.11 resuming a generator with `throw()` alone does not move its counter (no RESUME runs);
- code run by an import during the execution phase counts as run, as the counters cannot tell an import's
  own code from a call (sys.monitoring and setprofile can);
- functions reachable only through objects frozen by `gc.freeze()` are invisible: the reader refuses.
"""

import gc
import sys
from itertools import compress, repeat
from operator import attrgetter, is_

_LAMBDA = lambda: None  # noqa: E731
_FUNCTION = type(_LAMBDA)
_CODE = type(_LAMBDA.__code__)


def _generator():
    yield


async def _coroutine():
    pass


async def _async_generator():
    yield


def _suspendable_kinds():
    """{type: attribute of its frame} of generators, coroutines and async generators (as `types` makes them)."""
    coroutine = _coroutine()
    kinds = {type(_generator()): "gi_frame", type(coroutine): "cr_frame", type(_async_generator()): "ag_frame"}
    coroutine.close()
    return kinds


_SUSPENDABLE = _suspendable_kinds()
_WALKED = frozenset(_SUSPENDABLE) | {_FUNCTION}
_CODE_OF = attrgetter("__code__")
_HALF = (1).__rrshift__  # address -> index of its 16-bit word

# How many calls the probe makes to learn where a counter stops (above both known limits, 8 and 1024).
_PROBE_SATURATION_CALLS = 2000


class Unavailable(Exception):
    """The interpreter keeps no counter this reader can find."""


class Counters:
    """Reads code objects' run counters. Made by `probe()`.

    The walks below iterate with map() and compress() over bound methods of built-in types rather than with
    Python loops: they touch every live function and every object of the heap at the first invocation, in
    its response time, and a Python loop costs several times as much per object (docs/benchmarks.md)."""

    def __init__(self, memory, initial, saturated):
        # memory: an array of 16-bit words starting at the counter's offset in a code object, so that
        # memory[address >> 1] is the counter of the code at `address` (addresses and the offset are even)
        self._memory = memory
        self.initial = initial
        self.saturated = saturated

    def value(self, code):
        return self._memory[id(code) >> 1]

    def _values(self, codes):
        return list(map(self._memory.__getitem__, map(_HALF, map(id, codes))))

    def ran_codes(self, rearm_outside=None, roots=()):
        """A `Reading`: every reachable code whose counter left its starting value (the codes of all live
        functions, of suspended generators and coroutines, of `roots`, and the codes nested in those that ran:
        a nested code can only have run if the code holding it ran, to make its function).

        With `rearm_outside` (a path prefix), every live function outside it whose counter had stopped gets an
        equal copy of its code (`code.replace()`, with a counter at its start), so that its later runs show:
        a stopped counter is common (3.11 stops at 8 runs, and a library's helpers often run more than that
        while it is imported). Code objects compare equal by value, and CPython supports assigning
        `__code__`; the copy only re-warms its specialised instructions once. A nested code with no function
        of its own needs no copy: it can only run again inside a new run of the function holding it. A
        suspended generator or coroutine keeps running the code its frame has: that cannot be re-armed."""
        if gc.get_freeze_count():
            raise Unavailable("gc.freeze() hid %d objects from the walk over functions" % gc.get_freeze_count())
        initial = self.initial
        saturated = self.saturated
        objects = gc.get_objects()
        walked = list(compress(objects, map(_WALKED.__contains__, map(type, objects))))
        del objects
        functions = list(compress(walked, map(is_, map(type, walked), repeat(_FUNCTION))))
        codes = list(map(_CODE_OF, functions))
        codes.extend(getattr(holder, _SUSPENDABLE[type(holder)]).f_code for holder in walked
                     if type(holder) is not _FUNCTION and getattr(holder, _SUSPENDABLE[type(holder)]) is not None)
        held = len(codes)  # the codes running in live functions and suspended frames
        codes.extend(roots)
        values = self._values(codes)
        moved = list(compress(range(len(codes)), map(initial.__ne__, values)))  # a few % of them
        if rearm_outside is not None:
            copies = {}
            for index in [index for index in moved if index < len(functions) and values[index] == saturated]:
                code = codes[index]
                if code.co_filename.startswith(rearm_outside):
                    continue
                try:
                    copy = copies.get(id(code))
                    if copy is None:
                        copy = copies[id(code)] = code.replace()
                    functions[index].__code__ = copy
                except Exception:
                    continue  # refused (an audit hook, say): left as it was, ran_since() reports it unseen
                codes[index] = copy
                values[index] = initial
        # Only a stopped counter needs watching (see ran_since): any other one still shows each run.
        watched = {id(codes[index]) for index in moved if index < held and values[index] == saturated}
        roots = codes
        ran = {}
        level = [(codes[index], values[index]) for index in moved if values[index] != initial]
        while level:
            nested = []
            for code, counter in level:
                if id(code) not in ran:
                    ran[id(code)] = (code, counter)
                    nested.extend(constant for constant in code.co_consts if type(constant) is _CODE)
            level = [entry for entry in zip(nested, self._values(nested)) if entry[1] != initial]
        return Reading(ran, watched, roots)

    def ran_since(self, baseline):
        """(codes that ran since `baseline`, a `ran_codes()` reading; codes whose stopped counter can hide runs
        since: a live function's that could not be re-armed, a suspended generator's or coroutine's). Code
        made after the baseline (a re-armed copy included) counts from its starting value; code the baseline
        walked from is read again even when its function is gone."""
        ran = []
        unseen = []
        saturated = self.saturated
        now = self.ran_codes(roots=baseline.roots)
        for address, (code, counter) in now.ran.items():
            before = baseline.ran.get(address)
            if before is None or before[1] != counter:
                ran.append(code)
            elif counter == saturated and address in now.watched and address in baseline.watched:
                # Stopped before the baseline and still running somewhere. (A function made since the baseline
                # from a stopped nested code needs no watch: making it ran the code holding it, in its file.)
                unseen.append(code)
        return ran, unseen


class Reading:
    """One walk over the counters: `ran`, {id: (code, counter)} of the codes whose counter had left its start;
    `watched`, the ids of the stopped codes running in live functions and suspended frames; `roots`, every code
    the walk started from (held, so that a later reading still finds a function's code after the function is
    gone)."""

    def __init__(self, ran, watched, roots):
        self.ran = ran
        self.watched = watched
        self.roots = roots


def probe():
    """The `Counters` of this interpreter; raises `Unavailable` (with the reason) where there are none."""
    if sys.implementation.name != "cpython" or not (3, 9) <= sys.version_info[:2] < (3, 12):
        raise Unavailable("code counters are read on CPython 3.9 to 3.11 only (this is %s %d.%d)"
                          % (sys.implementation.name, sys.version_info[0], sys.version_info[1]))
    import _ctypes  # the extension module alone: ctypes' package would cost ~1 ms more

    class Word(_ctypes._SimpleCData):
        _type_ = "h"

    words_from = (Word * (sys.maxsize // 2)).from_address  # an array of 16-bit words from an address on
    memory = words_from(0)
    words = _CODE.__basicsize__ // 2

    def fresh():
        namespace = {}
        exec(compile("def probe(value):\n    return value\n", "<coldspy code-counters probe>", "exec"), namespace)
        return namespace["probe"]

    def fields(code):
        base = id(code) >> 1
        return [memory[base + index] for index in range(words)]

    called, untouched = fresh(), fresh()
    try:
        return _calibrate(words_from, words, fields, called, untouched)
    finally:
        # fresh()'s namespace and its function refer to each other: emptied, so that the probe's functions
        # are gone before anything walks the heap for functions
        called.__globals__.clear()
        untouched.__globals__.clear()


def _calibrate(words_from, words, fields, called, untouched):
    """The `Counters` whose field moves by one on each call of `called` and equals `untouched`'s."""
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
    counters = Counters(words_from(offset), first[found[0]], None)
    for _ in range(_PROBE_SATURATION_CALLS):
        called(None)
    saturated = counters.value(called.__code__)
    called(None)
    if counters.value(called.__code__) != saturated or saturated == counters.initial:
        raise Unavailable("the run counter does not settle")
    counters.saturated = saturated
    return counters
