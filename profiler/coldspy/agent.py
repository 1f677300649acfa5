"""The in-process agent: times imports, samples call stacks, watches which code runs, reads memory.

One `Agent` observes one interpreter (one cold start): `start()` before the handler module is imported,
`end_init()` when that import is done, `invoke()` around every handler call, `settle()` when the host has
idle time, `snapshot()` for the record of the cold start so far, `finish()` to stop everything and give the
process back as it was.

Design rules, in order of importance:
- Fail open. Every piece of agent work runs under `_safely`, which turns an exception into an entry of
  `errors`; `invoke()` calls the handler exactly once and returns its value or re-raises its exception.
- Import only what the interpreter already has (builtin modules `_signal`, `_thread`, `gc`, `time`, `os`, `sys`):
  every module the agent imported itself would look free to the handler. (The code-counters usage signal
  loads `gc` and `_ctypes` when the first invocation begins, after the import phase.)
- Do little inside the timed phases. A sample keeps `(code, f_lasti)` pairs (a module body's near its code's
  start as (file, line): see below) of the frames below the innermost running import (the frames outside it
  are walked once per import and shared); line numbers,
  names, files, modules and the calling-context tree are worked out in `settle()`/`snapshot()`, between the
  timed phases. (Reading `f_lineno` scans the code's line table from its start on every read: 25 µs at line
  2000 of a module body, and import-phase stacks are made of module bodies.) An import's trigger, and a
  sampled frame of a module body, are read as (file, line) at once where the instruction is near its code's
  start, and kept with their code for later otherwise (_LINE_READ_AT_ONCE_BYTES): a module's body code is
  freed once the module is imported, unless the agent holds it.
- Allocate little that the garbage collector tracks during init: what the agent keeps alive there brings the
  application's own collections nearer, and can move a full one into the first invocation.
"""

import atexit
import gc
import os
import sys
import time
import _signal
import _thread

AGENT_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

# The usage signals a caller may ask for: exact and auto choose one by interpreter (Agent._choose_usage_signal).
USAGE_SIGNALS = ("exact", "auto", "sys.monitoring", "code-counters", "setprofile", "none")

PHASE_OFF = 0
PHASE_INIT = 1
PHASE_EXECUTION = 2

SAMPLE_IMPORT = 0
SAMPLE_EXECUTION = 1

# Frames that belong to the import machinery: an import's trigger is the innermost frame outside them.
_MACHINERY_FILES = frozenset({
    "<frozen importlib._bootstrap>",
    "<frozen importlib._bootstrap_external>",
    "<frozen zipimport>",
})
_MACHINERY_PREFIXES = (
    os.path.join(os.path.dirname(os.__file__), "importlib") + os.sep,
    os.path.join(os.path.dirname(os.__file__), "zipimport.py"),
)

# The standard library's own files (its site-packages excepted) and frozen modules: code there that calls a
# function at init (contextlib's __enter__ running a generator, json's decoder calling an object_hook) only
# passes on a call made above it, so the caller that counts is the first frame outside it.
_STDLIB_DIR = os.path.dirname(os.__file__) + os.sep
_INSTALLED_DIRS = ("site-packages", "dist-packages")


def _in_standard_library(filename):
    """Whether code of `filename` only passes a call on: the standard library's (frozen modules included), or
    code made by exec or compile (`<string>`: a dataclass's `__init__`, a namedtuple's `__new__`), whose
    caller is the one that asked for it."""
    if filename.startswith("<"):
        return True
    if not filename.startswith(_STDLIB_DIR):
        return False
    first = filename[len(_STDLIB_DIR):].split(os.sep, 1)[0]
    return first not in _INSTALLED_DIRS


def _caller_outside_standard_library(frame, passes_calls_on):
    """`frame`, or when its code only passes on a call (`passes_calls_on`: the standard library's, the import
    machinery excepted, whose calls stay its own), the first frame above it that does not; `frame` itself when
    every frame above passes calls on (a thread's target called by threading, an exit handler)."""
    above = frame
    while above is not None and passes_calls_on(above.f_code.co_filename):
        above = above.f_back
    return frame if above is None else above


# Indexes into the list kept per recorded import (lists, not objects: this runs on every import).
# _FRAME is the frame that called the import wrapper and _OUTER the sampled stack from it outwards, both held
# only while the import runs: samples inside it walk the frames down to _FRAME and reuse _OUTER, itself walked
# only down to the enclosing import's _FRAME and completed with that import's _OUTER (imports nest ~6
# machinery frames per level, so import-phase stacks are 40-100 frames deep).
# _TRIGGER is (file, line) of the importing frame, or (code, f_lasti) until snapshot() works the line out (see
# _LINE_READ_AT_ONCE_BYTES); _LOADED the module the import loaded (None while running, or when it failed).
# _STATEMENT, only for an init-phase import whose trigger is not a module body (a module-level call that
# imports: `model = joblib.load(...)` -> pickle -> __import__): (file, line) of the innermost module body
# running, the chain of (file, line, qualified name) from it down to the trigger, and how many calls of the
# chain's middle were left out; or the same with (code, f_lasti) for each position until snapshot().
# _BYTECODE is set when the loader compiled the module's source: (BYTECODE_SOURCE, source path, compile ns,
# own cache path or None when the interpreter keeps no caches, (mtime ns, size) of that cache file before the
# compile or None when there was none); None otherwise (snapshot() then asks the module's loader).
# _FULL_GC_NS is the time of the full garbage collections that ran while this import was the innermost one
# running on its thread (part of its own time), _FULL_GC_CUMULATIVE_NS of those that ran while it was open.
(_NAME, _PARENT, _TRIGGER, _PHASE, _RSS_BEFORE, _CHILDREN_NS, _CUMULATIVE_NS, _LOADED, _RSS_DELTA,
 _FRAME, _OUTER, _STATEMENT, _BYTECODE, _FULL_GC_NS, _FULL_GC_CUMULATIVE_NS) = range(15)

# The generation a full collection reports to gc.callbacks (the oldest).
_FULL_COLLECTION = 2

# _BYTECODE of an import whose loading the agent did not watch (the handler module that started the agent was
# already being loaded): no bytecode entry, rather than one inferred from its loader.
_LOAD_UNSEEN = ("unseen",)

BYTECODE_CACHE = "cache"
BYTECODE_SOURCELESS = "sourceless"
BYTECODE_SOURCE = "source"

# An import's trigger and statement lines are read from their frames as the import starts (f_lineno) where each
# frame's instruction lies within this many bytes of its code's start, and kept as (code, f_lasti) to be worked
# out after the response otherwise. f_lineno scans the line table from the start (25 µs at line 2,000 of a
# module body): most imports sit near the top of a module, and a late one would cost init that scan. Keeping
# (code, f_lasti) for all, though, held every importing module's body alive until the first write (bytecode,
# line table, name tuples): up to 2.8 MiB of init's memory on the fixture apps, and tuples tracked by the
# collector, up to ten more young collections and one more middle one per init (init_collections.py); reading
# every line at once cost data_science's and fraud_scoring's inits 0.6-0.7 ms of scans.
_LINE_READ_AT_ONCE_BYTES = 1024

# Memory is read (/proc/self/statm) around imports at this resolution. An import starting this soon after
# the latest reading (the start or end of a nested, sibling or parent import) takes that reading as its
# "before"; an import that ends sooner than this after its start gets no reading of its own (its growth,
# null in the profile, counts in its parents'). A read costs ~2 µs inside an import (the system call and
# what it evicts), ~10 % of a small module's import: one read per import at most, and about one per
# millisecond of import time, instead of two per import (docs/benchmarks.md).
_RSS_RESOLUTION_NS = 1000000

# CPython 3.11+ keeps Python frames in a data stack of 16 KB chunks, and frees a chunk as soon as the frame
# that opened it returns: a call sequence that keeps crossing a chunk boundary maps and unmaps memory on every
# crossing (one mmap, a page fault and one munmap each). Import stacks sit deep, and every frame the agent adds
# (the import wrapper, the signal handler) moves where the boundaries fall: on an app with 300 modules that
# was 7,500 extra map/unmap pairs and +10 % of init CPU, measured. So the outermost import of each thread runs
# in a frame of a function whose code declares a large stack (never used): pushing it opens a chunk twice
# that size, and the whole import tree below runs in the room left after it, without crossing a boundary.
# (The stack is virtual memory: only the pages the frames touch are mapped.)
_ROOMY_STACK_WORDS = 32768  # 256 KB: a 512 KB chunk, ~256 KB of room, hundreds of import levels


def _call_in_roomy_frame(function, name, import_):
    return function(name, import_)


if sys.implementation.name == "cpython" and sys.version_info >= (3, 11):
    _call_in_roomy_frame = type(_call_in_roomy_frame)(
        _call_in_roomy_frame.__code__.replace(co_stacksize=_ROOMY_STACK_WORDS), globals(), "_call_in_roomy_frame")
else:
    _call_in_roomy_frame = None  # frames are separate heap objects: no chunks to thrash

# Invocations listed per cold start: a Lambda environment can serve hundreds of thousands, and each listed
# one is kept in memory and rewritten by every write. Later ones still count in the module usage and the call
# tree, and in `invocationsNotListed`.
INVOCATIONS_LISTED = 1000

# A module-level statement's call chain down to an import keeps at most this many frames at each end.
_CHAIN_ENDS = 4
_CHAIN_WALK_LIMIT = 500
# Calls of a function from its own file at init that are watched before its start event is turned off: a later
# call from another file (a module body using what its library set up) is seen after a few own calls.
_OWN_CALLS_WATCHED = 8

# co_flags of the code of a function (not set for a module or class body, or exec'd source).
_CO_OPTIMIZED = 0x0001

# What a code file is to the trigger search (decided once per file name).
_FILE_MACHINERY = 0
_FILE_AGENT = 1
_FILE_OTHER = 2


def _file_kind(filename):
    if filename in _MACHINERY_FILES or filename.startswith(_MACHINERY_PREFIXES):
        return _FILE_MACHINERY
    return _FILE_AGENT if filename.startswith(AGENT_DIR) else _FILE_OTHER


def line_of(code, offset):
    """The line of the instruction at byte `offset` of `code` (a frame's f_lasti), as the frame's f_lineno
    gives it, or None for an instruction without a line. Same reading of the line table as CPython's
    PyCode_Addr2Line: co_lines() ranges on 3.10+, co_lnotab on 3.9."""
    if offset < 0:
        return code.co_firstlineno  # the frame has not started running
    lines = getattr(code, "co_lines", None)
    if lines is not None:
        for start, end, line in lines():
            if start <= offset < end:
                return line
        return None
    table = code.co_lnotab  # pairs (address increment, signed line increment)
    line = code.co_firstlineno
    address = 0
    for at in range(0, len(table), 2):
        address += table[at]
        if address > offset:
            break
        increment = table[at + 1]
        line += increment - 256 if increment >= 128 else increment
    return line


def _innermost_of_kind(frame, kind):
    """The innermost frame from `frame` outwards whose file is of `kind` (_FILE_*), or None."""
    while frame is not None:
        if _file_kind(frame.f_code.co_filename) == kind:
            return frame
        frame = frame.f_back
    return None


def import_under_way(frame):
    """Whether an import is running from `frame` outwards (a frame of the import machinery is there)."""
    return _innermost_of_kind(frame, _FILE_MACHINERY) is not None


def first_outside_imports(frame):
    """The innermost frame from `frame` outwards that is neither import machinery nor the agent, or None."""
    return _innermost_of_kind(frame, _FILE_OTHER)


def module_names_by_file(modules=None):
    """Maps code file names to module names, from the modules loaded now.

    Reads each module's `__dict__` through `object.__getattribute__` so that lazy modules
    (importlib.util.LazyLoader) are not forced to load by looking at them.
    """
    names = {}
    for name, module in list((modules if modules is not None else sys.modules).items()):
        try:
            namespace = object.__getattribute__(module, "__dict__")
            path = namespace.get("__file__")
            if path is None:
                spec = namespace.get("__spec__")
                if spec is not None and getattr(spec, "has_location", False):
                    path = spec.origin
            if isinstance(path, str):
                names.setdefault(path, name)
                if path.endswith((".pyc", ".pyo")):
                    names.setdefault(path[:-1], name)
            # Frozen stdlib modules (3.11+) run code whose co_filename is "<frozen NAME>".
            names.setdefault("<frozen %s>" % name, name)
        except Exception:
            continue
    return names


def module_origin(module):
    """The origin file of a loaded module, or None for built-in, frozen-without-source and namespace modules,
    and for whatever else a package put into sys.modules in its place (an object without a __dict__...)."""
    try:
        namespace = object.__getattribute__(module, "__dict__")
        path = namespace.get("__file__")
        if isinstance(path, str):
            return path
        spec = namespace.get("__spec__")
        if spec is not None and getattr(spec, "has_location", False) and isinstance(spec.origin, str):
            return spec.origin
    except Exception:
        pass
    return None


class Memory:
    """Resident set size from /proc/self (Linux); `method` is "none" where that is unavailable."""

    def __init__(self):
        self.method = "none"
        self._statm = None
        self._status = None
        self._page = 0
        try:
            self._statm = os.open("/proc/self/statm", os.O_RDONLY)
            self._status = os.open("/proc/self/status", os.O_RDONLY)
            self._page = os.sysconf("SC_PAGE_SIZE")
            os.pread(self._statm, 64, 0)
            self.method = "rss"
        except (OSError, AttributeError, ValueError):
            self.close()

    def rss(self):
        if self._statm is None:
            return None
        # Second field, parsed without building a list (no container allocation: no garbage collection
        # can start here, inside an import's timed window).
        statm = os.pread(self._statm, 128, 0)
        start = statm.index(b" ") + 1
        return int(statm[start:statm.index(b" ", start)]) * self._page

    def peak(self):
        if self._status is None:
            return None
        status = os.pread(self._status, 4096, 0)
        at = status.find(b"VmHWM:")
        if at < 0:
            return None
        return int(status[at + 6:status.index(b"kB", at)]) * 1024

    def close(self):
        for fd in (self._statm, self._status):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._statm = self._status = None


class Agent:
    """Profiles one interpreter. See the module docstring for the life cycle."""

    def __init__(self, interval_us=1000, clock="cpu", usage_signal="auto"):
        self.interval_us = int(interval_us)
        self.clock = clock
        self.requested_usage_signal = usage_signal
        self.usage_signal = "none"
        self.errors = []
        self.memory = Memory()
        self.init_us = 0
        self.init_peak_rss = None
        self.invocations = []
        self.invocations_not_listed = 0
        self.sample_counts = [0, 0]
        # Time spent in the agent's own code inside the timed phases (by phase: 1 init, 2 execution), in ns:
        # the sampler's signal handler and the import hook's bookkeeping.
        self._own_time_ns = [0, 0, 0]
        # Time in garbage collections inside the timed phases (by phase), in ns; None when not watched.
        self._gc_ns = None
        self._collection_callback = None
        self._import_stacks = None  # {thread ident: open imports, innermost last}

        self._phase = [PHASE_OFF]
        self._main_imports = []  # open imports of the main thread, innermost last
        self._imports = []
        self._raw_samples = []
        self._latest_module_line = [(None, -1, 0)]  # the sampler's one-entry cache of a module frame's line
        self._pending_samples = []  # [(invocation index or None, samples)] not folded yet
        self._seen_code = []
        self._init_calls = []  # (code, caller's code) of functions first called from another file during init
        self._init_started_ns = 0
        self._original_find_and_load = None
        self._hook = None
        self._bytecode_hooks = None
        # Whether every compile since the start went through the source_to_code watch (installed, and not
        # displaced by someone else's patch): only then does "not compiled" mean "loaded from bytecode".
        self._compiles_watched = False
        self._timer = None  # (which, signum, previous handler, tick function, clock, interval, [last tick's time])
        self._timer_disabled = False
        self._armed = False  # whether our interval timer runs
        self._monitoring_tool = None
        self._previous_profile = None
        self._previous_thread_profile = None  # threading's hook for new threads before the agent's
        self._usage_callback = None
        self._usage_watched = True  # whether the current invocation's own list of modules is recorded
        self._counters = None  # coldspy.code_counters.Counters, once read
        self._counter_baseline = None  # its ran_codes() when the first invocation began
        self._peak_pending = None  # the listed invocation whose peak RSS after_response() is to read
        self.closed = False

        # Calling-context tree, folded incrementally: node 0 is the root.
        self._frames = []  # (file, function, line)
        self._frame_index = {}
        self._frame_of_position = {}  # (id(code), f_lasti) -> frame index
        self._code_info = {}  # id(code) -> (code, file or None for agent code, function)
        self._line_tables = {}  # id(code) -> (code, [(start, end, line)]), see _line
        self._nodes = [[-1, -1, 0, 0]]
        self._node_index = {}
        self._node_files = {}  # node -> the distinct files on its path, for the execution samples' nodes
        self._previous_stack = []
        self._previous_path = []
        self._execution_samples_by_file = {}
        self._executed_files = set()

    # ---- life cycle -------------------------------------------------------------------------------

    def start(self, enclosing_module=None):
        """Starts the init phase: import timing, and sampling when the interval is positive.

        `enclosing_module` names a module whose import is already running when the agent starts (the
        handler module that said `import coldspy.auto`): it is recorded as the root of the import tree.
        """
        self._phase[0] = PHASE_INIT
        self._safely("usage signal", self._setup_usage_signal)
        if enclosing_module is not None:
            self._safely("import hook", self._open_enclosing_import, enclosing_module)
        self._safely("import hook", self._install_import_hook)
        self._safely("collection watch", self._install_collection_watch)
        if self.interval_us > 0:
            self._safely("sampler", self._install_sampler)
            self._safely("sampler", self._arm)
        self._init_started_ns = time.perf_counter_ns()

    def end_init(self):
        """Ends the init phase (the handler module is imported)."""
        ended = time.perf_counter_ns()
        self._safely("sampler", self._pause)
        self._phase[0] = PHASE_OFF
        self.init_us = max(0, (ended - self._init_started_ns) // 1000)
        self._safely("import hook", self._close_enclosing_import, ended)
        self._safely("memory", self._read_init_peak)
        self._safely("sampler", self._take_samples, None)

    def settle(self):
        """Folds the samples taken so far into the calling-context tree.

        Kept out of end_init() and invoke() so that a host with idle time (the local runner, between its
        timed phases) can pay for it there; snapshot() folds whatever is left.
        """
        self._safely("sample folding", self._fold)

    def invoke(self, handler, event, context, event_name, post_response=False, watch_usage=True):
        """Calls `handler(event, context)` once as one invocation; its result or exception passes through.

        With `post_response` the invocation's last steps are left for `after_response()`, which a host with time
        after the response calls before anything else runs (Lambda's extension): after an idle environment
        reading /proc/self/status cost ~0.1 ms of the response, each system call tens of µs (docs/benchmarks.md).
        Without `watch_usage` the sys.monitoring signal is not re-armed for this call: only code that has not run
        before reports itself, so the cold start's use stays exact and the call pays for none of the functions
        earlier calls ran (0.4-0.6 ms for a pandas handler's warm call on 3.14); its own list of modules is then
        unknown (`usageObserved` false). The other signals watch every call."""
        self._safely("invocation start", self._begin_invocation, watch_usage)
        started = time.perf_counter_ns()
        try:
            result = handler(event, context)
        except BaseException as exc:
            ended = time.perf_counter_ns()
            self._safely("invocation end", self._end_invocation, event_name, ended - started, exc, post_response)
            raise
        ended = time.perf_counter_ns()
        self._safely("invocation end", self._end_invocation, event_name, ended - started, None, post_response)
        return result

    def after_response(self):
        """The steps of the latest invocation invoked with `post_response`: its peak RSS (the process's
        high-water mark, which only grows: read after the response, before other work, it is the invocation's),
        and the sampler's timer checked (_keep_timer)."""
        pending, self._peak_pending = self._peak_pending, None
        if pending is not None:
            pending["peakRssBytes"] = self._safely_call("memory", self.memory.peak)
        self._safely("sampler", self._keep_timer)

    def finish(self):
        """Stops timers, restores signal handlers, the import machinery and the profile hooks."""
        if self.closed:
            return
        self.closed = True
        self._phase[0] = PHASE_OFF
        self._safely("sampler", self._check_signal_ours)  # the record is taken after this, without the timer
        self._safely("sampler", self._disarm)
        self._safely("sampler", self._uninstall_sampler)
        self._safely("import hook", self._uninstall_import_hook)
        self._safely("collection watch", self._uninstall_collection_watch)
        self._safely("bytecode hook", self._uninstall_bytecode_hooks)
        self._safely("usage signal", self._release_usage_signal)
        self._safely("sampler", self._take_samples, None)
        self.memory.close()

    # ---- fail-open plumbing ------------------------------------------------------------------------

    def _safely(self, what, action, *args):
        try:
            action(*args)
        except Exception as exc:
            self.note_error("%s: %s: %s" % (what, type(exc).__name__, exc))

    def _safely_call(self, what, action, *args):
        """`action(*args)`, or None after recording its exception."""
        try:
            return action(*args)
        except Exception as exc:
            self.note_error("%s: %s: %s" % (what, type(exc).__name__, exc))
            return None

    def note_error(self, message):
        if len(self.errors) < 100 and message not in self.errors:
            self.errors.append(message)

    # ---- imports -----------------------------------------------------------------------------------

    def _open_enclosing_import(self, name):
        record = [name, None, None, PHASE_INIT, self.memory.rss(), 0, 0, None, None, None, None, None, _LOAD_UNSEEN,
                  0, 0]
        self._imports.append(record)
        self._main_imports.append(record)

    def _close_enclosing_import(self, ended_ns):
        if not self._main_imports:
            return
        record = self._main_imports.pop()
        del self._main_imports[:]
        record[_CUMULATIVE_NS] = ended_ns - self._init_started_ns
        if record[_RSS_BEFORE] is not None:
            record[_RSS_DELTA] = self.memory.rss() - record[_RSS_BEFORE]
        record[_LOADED] = sys.modules.get(record[_NAME])

    def _install_import_hook(self):
        # CPython's C import path (import.c, import_find_and_load) looks `_find_and_load` up as an attribute of
        # the `_frozen_importlib` module on every import of a module missing from sys.modules, and
        # importlib.import_module reaches it as a global of that same module: one wrapper sees both.
        bootstrap = sys.modules["_frozen_importlib"]
        original = bootstrap._find_and_load
        if getattr(original, "__coldspy__", False):
            raise RuntimeError("another ColdSpy agent already wraps _find_and_load")
        modules = sys.modules
        records = self._imports
        phase = self._phase
        main_stack = self._main_imports
        stacks = self._import_stacks = {_thread.get_ident(): main_stack}
        get_ident = _thread.get_ident
        getframe = sys._getframe
        perf = time.perf_counter_ns
        rss = self.memory.rss
        last_rss = [None, -_RSS_RESOLUTION_NS]  # the latest RSS reading and when (perf_counter_ns)
        note_error = self.note_error
        own_time = self._own_time_ns
        kinds = {}  # co_filename -> _FILE_*
        machinery, agent = _FILE_MACHINERY, _FILE_AGENT
        in_roomy_frame = _call_in_roomy_frame
        enclosing = main_stack[0] if main_stack else None  # the handler module's import, already running

        def kind_of(code):
            kind = kinds.get(code.co_filename)
            if kind is None:
                kind = kinds[code.co_filename] = _file_kind(code.co_filename)
            return kind

        def trigger_of(frame):
            # Stops at the first frame outside the import machinery (one frame for a plain import statement,
            # ~5 for a parent package or a from-list submodule).
            while frame is not None:
                filename = frame.f_code.co_filename
                kind = kinds.get(filename)
                if kind is None:
                    kind = kinds[filename] = _file_kind(filename)
                if kind is machinery:
                    frame = frame.f_back
                    continue
                if kind is agent:
                    return None  # the agent imports the handler module: no statement of the app did
                return frame
            return None

        def statement_of(frame):
            # From a trigger that is no module body (a function called by module-level code, a class body)
            # outwards to the innermost module body: the statement running there, and the calls between.
            chain = []  # the frames between, innermost first
            walked = 0
            while frame is not None and walked < _CHAIN_WALK_LIMIT:
                code = frame.f_code
                kind = kind_of(code)
                if kind is agent:
                    return None
                if kind is not machinery:
                    if code.co_name == "<module>":
                        omitted = len(chain) - 2 * _CHAIN_ENDS
                        if omitted > 0:
                            chain[_CHAIN_ENDS:-_CHAIN_ENDS] = []
                        chain.reverse()  # outermost first
                        if frame.f_lasti >= _LINE_READ_AT_ONCE_BYTES or any(
                                call.f_lasti >= _LINE_READ_AT_ONCE_BYTES for call in chain):
                            return (code, frame.f_lasti, [(call.f_code, call.f_lasti) for call in chain],
                                    max(0, omitted))
                        calls = [(call.f_code.co_filename, call.f_lineno or 0,
                                  getattr(call.f_code, "co_qualname", call.f_code.co_name)) for call in chain]
                        return (code.co_filename, frame.f_lineno or 0, calls, max(0, omitted))
                    chain.append(frame)
                frame = frame.f_back
                walked += 1
            return None

        def _find_and_load(name, import_):
            if not phase[0] or name in modules:
                return original(name, import_)
            try:
                ident = get_ident()
                stack = stacks.get(ident)
                if stack is None:
                    stack = stacks[ident] = []
                caller = getframe(1)  # the wrapper's own frame object is never made
                # Made and pushed before the clock starts: a collection that these allocations set off runs in
                # the parent's time and is charged to it; one set off by the bookkeeping below, in this import's.
                record = [name, stack[-1] if stack else None, None, phase[0], None,
                          0, 0, None, None, caller, None, None, None, 0, 0]
                records.append(record)
                stack.append(record)
            except Exception as exc:
                note_error("import hook: %s: %s" % (type(exc).__name__, exc))
                return original(name, import_)
            entered = perf()
            try:
                trigger_frame = trigger_of(caller)
                if trigger_frame is not None:
                    trigger_code = trigger_frame.f_code
                    offset = trigger_frame.f_lasti
                    record[_TRIGGER] = ((trigger_code.co_filename, trigger_frame.f_lineno)
                                        if offset < _LINE_READ_AT_ONCE_BYTES else (trigger_code, offset))
                    if phase[0] == PHASE_INIT and trigger_code.co_name != "<module>":
                        record[_STATEMENT] = statement_of(trigger_frame)
                if entered - last_rss[1] < _RSS_RESOLUTION_NS:
                    record[_RSS_BEFORE] = last_rss[0]
                else:
                    record[_RSS_BEFORE] = last_rss[0] = rss()
                    last_rss[1] = entered
            except Exception as exc:
                note_error("import hook: %s: %s" % (type(exc).__name__, exc))
            started = perf()
            try:
                if in_roomy_frame is not None and (record[_PARENT] is None or record[_PARENT] is enclosing):
                    return in_roomy_frame(original, name, import_)
                return original(name, import_)
            finally:
                # Timed from the wrapper's entry to after the RSS read, as -X importtime times the whole
                # call: a garbage collection set off by the bookkeeping, or the scheduler switching away at
                # the read's system call, counts for both clocks alike.
                ended = perf()
                rss_after = None
                if ended - entered >= _RSS_RESOLUTION_NS:
                    try:
                        rss_after = rss()
                    except Exception:
                        pass
                    ended = perf()
                    last_rss[0] = rss_after
                    last_rss[1] = ended
                elapsed = ended - entered
                try:
                    record[_FRAME] = record[_OUTER] = None
                    stack.pop()
                    record[_CUMULATIVE_NS] = elapsed
                    if stack:
                        stack[-1][_CHILDREN_NS] += elapsed
                    if record[_RSS_BEFORE] is not None and rss_after is not None:
                        record[_RSS_DELTA] = rss_after - record[_RSS_BEFORE]
                    module = modules.get(name)
                    if module is not None:
                        record[_LOADED] = module  # its origin file is read in snapshot()
                    own_time[record[_PHASE]] += (started - entered) + (perf() - entered - elapsed)
                except Exception as exc:
                    note_error("import hook: %s: %s" % (type(exc).__name__, exc))

        _find_and_load.__coldspy__ = True
        bootstrap._find_and_load = _find_and_load
        self._original_find_and_load = original
        self._hook = _find_and_load
        self._safely("bytecode hook", self._install_bytecode_hooks, stacks)

    def _install_bytecode_hooks(self, stacks):
        """Watches SourceLoader.get_code compile a module's source (through the method source_to_code, then it
        writes the cache): the event lands on the innermost open import of the thread, the module being
        loaded. A module a standard file loader loaded without that event came from bytecode, which
        snapshot() tells from its loader (_bytecode_without_compile): nothing runs per import for the common
        case. Loaders with a get_code or source_to_code of their own (zipimport, custom importers) are not
        seen: their modules get no bytecode entry."""
        external = sys.modules["_frozen_importlib_external"]
        source_loader = external.SourceLoader
        original_source_to_code = source_loader.__dict__["source_to_code"]
        cache_from_source = external.cache_from_source
        stat = os.stat
        get_ident = _thread.get_ident
        perf = time.perf_counter_ns
        own_time = self._own_time_ns

        def source_to_code(loader, data, path, *args, **kwargs):
            # Whatever the phase: an import recorded during a phase may finish after it (another thread's,
            # across the end of init), and its compile must land on it. Outside recorded imports the stack
            # is empty.
            stack = stacks.get(get_ident())
            if not stack:
                return original_source_to_code(loader, data, path, *args, **kwargs)
            started = perf()
            code = original_source_to_code(loader, data, path, *args, **kwargs)
            compiled = perf()
            try:
                # Read before get_code writes the new cache: a file there now did not validate (stale).
                cache_path = cache_from_source(path)
                try:
                    found = stat(cache_path)
                    before = (found.st_mtime_ns, found.st_size)
                except OSError:
                    before = None
            except Exception:
                cache_path = before = None  # this interpreter keeps no caches (cache_tag None)
            stack[-1][_BYTECODE] = (BYTECODE_SOURCE, path, compiled - started, cache_path, before)
            own_time[stack[-1][_PHASE]] += perf() - compiled
            return code

        source_to_code.__coldspy__ = True
        source_loader.source_to_code = source_to_code
        self._bytecode_hooks = (external, original_source_to_code, source_to_code)
        self._compiles_watched = True

    def _uninstall_bytecode_hooks(self):
        if self._bytecode_hooks is None:
            return
        external, original_source_to_code, source_to_code = self._bytecode_hooks
        self._bytecode_hooks = None
        if external.SourceLoader.__dict__.get("source_to_code") is source_to_code:
            external.SourceLoader.source_to_code = original_source_to_code
        else:
            self._compiles_watched = False
            self.note_error("bytecode hook: someone replaced SourceLoader.source_to_code; left it in place")

    def _uninstall_import_hook(self):
        if self._hook is None:
            return
        bootstrap = sys.modules["_frozen_importlib"]
        if bootstrap._find_and_load is self._hook:
            bootstrap._find_and_load = self._original_find_and_load
        else:
            self.note_error("import hook: someone replaced the wrapped _find_and_load; left it in place")
        self._hook = None

    # ---- garbage collections ------------------------------------------------------------------------

    def _install_collection_watch(self):
        # A full collection walks the whole heap (~20 ms with a few libraries loaded) when the objects that
        # survived young collections have grown by a quarter: it lands in whichever import crosses that line,
        # and moves with any change in allocations (the agent's own included). Timing them lets a reader share
        # them out among the imports that allocated, instead of charging the one that happened to cross the
        # line. Young collections, one every few hundred allocations, are counted only in the phase's total:
        # they land in proportion to each import's allocations already. gc calls this twice per collection
        # (~0.7 µs each), some 200 times in a 700 ms init.
        phase = self._phase
        stacks = self._import_stacks
        get_ident = _thread.get_ident
        perf = time.perf_counter_ns
        totals = self._gc_ns = [0, 0, 0]
        started = [0]

        def on_collection(event, info):
            if event == "start":
                started[0] = perf()
                return
            began, started[0] = started[0], 0
            current = phase[0]
            if not current or not began:
                return  # outside the timed phases, or a "start" the agent missed (a callback removed meanwhile)
            elapsed = perf() - began
            totals[current] += elapsed
            if info.get("generation") != _FULL_COLLECTION or stacks is None:
                return
            stack = stacks.get(get_ident())
            if stack:
                stack[-1][_FULL_GC_NS] += elapsed
                for record in stack:
                    record[_FULL_GC_CUMULATIVE_NS] += elapsed

        gc.callbacks.append(on_collection)
        self._collection_callback = on_collection

    def _uninstall_collection_watch(self):
        if self._collection_callback is None:
            return
        try:
            gc.callbacks.remove(self._collection_callback)
        except ValueError:
            self.note_error("collection watch: someone removed the agent's gc callback")
        self._collection_callback = None

    # ---- sampling ----------------------------------------------------------------------------------

    def _install_sampler(self):
        if self.clock == "cpu":
            which, signum, clock = _signal.ITIMER_PROF, _signal.SIGPROF, time.process_time
        else:
            which, signum, clock = _signal.ITIMER_REAL, _signal.SIGALRM, time.perf_counter
        previous = _signal.getsignal(signum)
        if previous not in (_signal.SIG_DFL, _signal.SIG_IGN, None):
            raise RuntimeError("signal %d already has a handler; sampling disabled" % signum)
        if _signal.getitimer(which)[0] > 0:
            raise RuntimeError("the interval timer is already in use; sampling disabled")
        interval = self.interval_us / 1e6
        raw = self._raw_samples
        phase = self._phase
        main_stack = self._main_imports
        last = [clock()]
        own_time = self._own_time_ns
        note_error = self.note_error
        wall = time.perf_counter
        wall_clock = clock is wall

        # (code, f_lasti, line) of the module frame read last; emptied as each phase ends (_take_samples), so
        # that it holds no module body past the phase that ran it.
        latest_module_line = self._latest_module_line

        def push_frames(frame, marker, push):
            """Pushes (code, f_lasti) for each frame from `frame` outwards, up to `marker` (excluded); returns
            the frame it stopped at. A module body's frame is pushed as (file name, line) where that line is
            cheap to read (within _LINE_READ_AT_ONCE_BYTES of the code's start): its code object, and with it
            every constant and name tuple of the module, is freed once the module is imported, unless a
            sample holds it; held until the first fold (after the first response) it stayed in init's memory
            and in the collector's counts, which moved the application's own collections (a full
            collection, 13 ms, into FastAPI's first invocation: docs/benchmarks.md)."""
            while frame is not None and frame is not marker:
                code = frame.f_code
                offset = frame.f_lasti
                if offset < _LINE_READ_AT_ONCE_BYTES and code.co_name == "<module>":
                    # Consecutive ticks often find a module body at the same instruction (a call it made that
                    # runs for milliseconds): its line is read once for them. One tuple, replaced whole: a
                    # nested signal sees the old entry or the new one.
                    latest = latest_module_line[0]
                    if latest[0] is not code or latest[1] != offset:
                        latest = latest_module_line[0] = (code, offset, frame.f_lineno or 0)
                    push(code.co_filename)
                    push(latest[2])
                else:
                    push(code)
                    push(offset)
                frame = frame.f_back
            return frame

        def outer_of(level):
            """The stack from the marker of the open import main_stack[level] outwards, computed once per
            import: its frames down to the enclosing import's marker, then that import's outer stack."""
            record = main_stack[level]
            outer = record[_OUTER]
            if outer is not None:
                return outer
            outer = []
            frame = push_frames(record[_FRAME], main_stack[level - 1][_FRAME] if level > 0 else None, outer.append)
            if frame is not None:
                outer += outer_of(level - 1)
            # Published only when complete: a signal arriving meanwhile runs the handler again (nested), and
            # must not see half of it.
            record[_OUTER] = outer
            return outer

        def tick(signum, frame):
            # A late signal (the interpreter only runs handlers between bytecodes: a long C call delays
            # it and merges the timer's signals) counts for every interval that elapsed.
            now = clock()
            entered = now if wall_clock else wall()
            weight = int((now - last[0]) / interval + 0.5) or 1
            last[0] = now
            current = phase[0]
            if not current:
                return
            # A signal handler's exception is raised in whatever code the signal interrupted: the application's.
            try:
                innermost = main_stack[-1] if main_stack else None
                marker = innermost[_FRAME] if innermost is not None else None
                # [kind, weight, length, code, f_lasti, code, f_lasti, ...], innermost frame first (a module
                # body's frame as file, line)
                sample = [SAMPLE_IMPORT if current == PHASE_INIT or innermost is not None else SAMPLE_EXECUTION,
                          weight, 0]
                if push_frames(frame, marker, sample.append) is not None:
                    # reached the innermost import's marker: the rest is shared
                    outer = innermost[_OUTER]
                    sample += outer if outer is not None else outer_of(len(main_stack) - 1)
                sample[2] = len(sample) - 3
                raw.extend(sample)  # laid end to end in one list, in one call: a nested signal cannot split it
            except Exception as exc:
                # Another handler's exception, raised here because its signal arrived while this one ran (an
                # application's SIGALRM timeout), is the application's: it goes on to the interrupted code.
                raised_at = exc.__traceback__
                while raised_at.tb_next is not None:
                    raised_at = raised_at.tb_next
                if not raised_at.tb_frame.f_code.co_filename.startswith(AGENT_DIR):
                    raise
                note_error("sampler: %s: %s" % (type(exc).__name__, exc))
            own_time[current] += (wall() - entered) * 1e9

        _signal.signal(signum, tick)
        self._timer = (which, signum, previous, tick, clock, interval, last)
        # The CPU clock's timer runs between invocations (_pause): a process that exits without finish() must
        # not get its signal once the interpreter has put the default action (terminate) back.
        atexit.register(self._disarm)

    def _arm(self):
        self._check_signal_ours()
        if self._timer is None or self._timer_disabled or self._armed:
            return
        which, _signum, _previous, _tick, clock, interval, last = self._timer
        last[0] = clock()
        _signal.setitimer(which, interval, interval)
        self._armed = True

    def _check_signal_ours(self):
        """Stops sampling (error noted) once the application has installed its own handler for the signal. A
        running timer is not re-armed per invocation, so snapshot() checks too."""
        if self._timer is None or self._timer_disabled:
            return
        signum, tick = self._timer[1], self._timer[3]
        if _signal.getsignal(signum) is not tick:
            self._timer_disabled = True
            raise RuntimeError("the application installed its own handler for signal %d; sampling stopped"
                               % signum)

    def _keep_timer(self):
        """Arms the timer again where it should run and does not: the application stopped it or set another
        interval, leaving the agent's handler in place, or this is a forked child (no timers are inherited).
        Run after each invocation, since the timer is not armed before each one (_pause)."""
        self._check_signal_ours()
        if self._timer is None or self._timer_disabled or not self._armed:
            return
        which, interval = self._timer[0], self._timer[5]
        remaining, running_interval = _signal.getitimer(which)
        if remaining == 0 or abs(running_interval - interval) > interval / 100:
            self._armed = False
            self._arm()

    def _pause(self):
        """Stops sampling at the end of a phase. The CPU clock's timer stays armed: it advances only while the
        process runs, and its ticks between phases are dropped (the phase is off), so an invocation costs no
        `setitimer` calls (after an idle time each cost ~25 µs of the response, docs/benchmarks.md). A wall
        clock's timer would tick through idle time and frozen environments: it is stopped."""
        if self.clock != "cpu":
            self._disarm()

    def _disarm(self):
        if self._timer is None:
            return
        which, signum, _previous, tick, _clock, _interval, _last = self._timer
        # Only our own timer may be stopped: after the application took the signal over, the timer is its.
        if _signal.getsignal(signum) is tick:
            _signal.setitimer(which, 0, 0)
            self._armed = False

    def _uninstall_sampler(self):
        if self._timer is None:
            return
        which, signum, previous, tick, _clock, _interval, _last = self._timer
        self._timer = None
        atexit.unregister(self._disarm)
        if _signal.getsignal(signum) is tick:
            _signal.setitimer(which, 0, 0)  # stop first: SIGPROF/SIGALRM with the default action kill
            try:
                _signal.signal(signum, previous if previous is not None else _signal.SIG_DFL)
            except ValueError:
                # Not the main thread: the final write at SIGTERM of a process whose main thread waits in C code
                # (coldspy.lambda_runtime.SigtermWake), which ends right after. The stopped timer sends nothing.
                pass

    def _take_samples(self, invocation):
        """Sets the samples taken since the last call aside for folding, as belonging to `invocation`
        (an index into self.invocations) or to no invocation (None: init, or between invocations)."""
        self._latest_module_line[0] = (None, -1, 0)
        raw = self._raw_samples
        samples = raw[:]
        del raw[:len(samples)]  # a late signal may append meanwhile: keep its sample for the next batch
        if samples:
            self._pending_samples.append((invocation, samples))

    def _fold(self):
        """Merges the pending samples into the calling-context tree and the per-file execution counts."""
        pending = self._pending_samples
        while pending:
            invocation, samples = pending.pop(0)
            counts = self._fold_batch(samples)
            self.sample_counts[0] += counts[0]
            self.sample_counts[1] += counts[1]
            if invocation is not None:
                self.invocations[invocation]["samples"] += counts[SAMPLE_EXECUTION]
        self._release_bodies()

    def _release_bodies(self):
        """Lets go of the module and class bodies that samples far into their code kept until they were folded
        (the folding caches hold each code they looked up, so that its id stays its own). Nothing else holds
        such a code once its module is imported, and the environment lives on for thousands of invocations:
        their constants and names would stay in its memory and in every full collection's walk (4-9 bodies
        holding ~1,000-6,500 tuples on the fixture apps). A body still running (an import during an
        invocation) is looked up again when it is next folded."""
        bodies = {key for key, info in self._code_info.items() if not info[0].co_flags & _CO_OPTIMIZED}
        bodies.update(key for key, table in self._line_tables.items() if not table[0].co_flags & _CO_OPTIMIZED)
        if not bodies:
            return
        for key in bodies:
            self._code_info.pop(key, None)
            self._line_tables.pop(key, None)
        positions = self._frame_of_position
        for position in [position for position in positions if position[0] in bodies]:
            del positions[position]
        self._previous_stack, self._previous_path = [], []  # the last stack folded holds its codes

    def _resolve_record(self, record):
        """Turns an import's trigger and statement kept as (code, f_lasti) into files and lines, in place."""
        trigger = record[_TRIGGER]
        if trigger is not None and type(trigger[0]) is not str:
            code, offset = trigger
            try:
                record[_TRIGGER] = (code.co_filename, line_of(code, offset))
            except Exception as exc:  # no half-made trigger reaches the record
                record[_TRIGGER] = None
                self.note_error("import trigger: %s: %s" % (type(exc).__name__, exc))
        statement = record[_STATEMENT]
        if statement is not None and type(statement[0]) is not str:
            code, offset, chain, omitted = statement
            try:
                record[_STATEMENT] = (
                    code.co_filename, line_of(code, offset) or 0,
                    [(call.co_filename, line_of(call, at) or 0, getattr(call, "co_qualname", call.co_name))
                     for call, at in chain],
                    omitted)
            except Exception as exc:
                record[_STATEMENT] = None
                self.note_error("import statement: %s: %s" % (type(exc).__name__, exc))

    def _line(self, code, offset):
        """line_of(code, offset) for the positions of samples: each code object's line table is listed once,
        in C, then bisected (samples fall all over the long tables of module bodies: a Python scan per
        lookup cost ~50 µs there)."""
        lines = getattr(code, "co_lines", None)
        if offset < 0 or lines is None:
            return line_of(code, offset)  # not started yet, or 3.9's co_lnotab
        table = self._line_tables.get(id(code))
        if table is None or table[0] is not code:
            table = self._line_tables[id(code)] = (code, list(lines()))  # holds the code: its id stays its own
        ranges = table[1]
        low, high = 0, len(ranges)
        while low < high:  # the last range starting at or before offset
            middle = (low + high) // 2
            if ranges[middle][0] <= offset:
                low = middle + 1
            else:
                high = middle
        found = ranges[low - 1] if low else None
        return found[2] if found is not None and offset < found[1] else None

    def _fold_batch(self, samples):
        """Consecutive samples mostly share their outer frames (an import nested 40 frames deep, a loop in
        the same function): the common outer part is found with list comparisons, which run in C and stop
        at identical objects, and only the frames below it are looked up one by one."""
        counts = [0, 0]
        nodes = self._nodes
        by_file = self._execution_samples_by_file
        previous, previous_path = self._previous_stack, self._previous_path
        at, end = 0, len(samples)
        while at < end:
            kind, weight, length = samples[at], samples[at + 1], samples[at + 2]
            stack = samples[at + 3:at + 3 + length]
            at += 3 + length
            stack.reverse()  # outermost first: [offset, code, offset, code, ...] (or line, file: push_frames)
            if stack == previous:
                path = previous_path
            else:
                low, high = 0, min(len(stack), len(previous)) // 2
                while low < high:  # the longest common outer part, in frames
                    middle = (low + high + 1) // 2
                    if stack[:2 * middle] == previous[:2 * middle]:
                        low = middle
                    else:
                        high = middle - 1
                path = previous_path[:low]
                self._extend_path(path, stack, low)
                previous, previous_path = stack, path
            node = path[-1] if path else 0
            if node == 0:
                continue  # only agent frames: the agent's own time, not the app's
            counts[kind] += weight
            nodes[node][2 + kind] += weight
            if kind == SAMPLE_EXECUTION:
                for filename in self._files_on_path(node):
                    by_file[filename] = by_file.get(filename, 0) + weight
        self._previous_stack, self._previous_path = previous, previous_path
        return counts

    def _files_on_path(self, node):
        """The distinct files of the frames from the root to `node` (a sample counts once per module)."""
        node_files = self._node_files
        nodes = self._nodes
        unknown = []
        while node > 0 and node not in node_files:
            unknown.append(node)
            node = nodes[node][0]
        files = node_files.get(node, ())
        for node in reversed(unknown):
            filename = self._frames[nodes[node][1]][0]
            if filename not in files:
                files = files + (filename,)
            node_files[node] = files
        return files

    def _extend_path(self, path, stack, start):
        """Appends to `path` the tree node of each frame of `stack` (outermost first) from frame `start` on."""
        nodes = self._nodes
        node_index = self._node_index
        code_info = self._code_info
        frame_of_position = self._frame_of_position
        node = path[-1] if path else 0
        for i in range(2 * start, len(stack), 2):
            offset, code = stack[i], stack[i + 1]
            if type(code) is str:  # a module body's frame, its line read as the sample was taken
                frame = None if code.startswith(AGENT_DIR) else self._intern_frame(code, "<module>", offset)
            else:
                info = code_info.get(id(code))
                if info is None:
                    filename = code.co_filename
                    if filename.startswith(AGENT_DIR):
                        filename = None
                    info = code_info[id(code)] = (code, filename, getattr(code, "co_qualname", code.co_name))
                frame = None
                if info[1] is not None:
                    position = (id(code), offset)
                    frame = frame_of_position.get(position)
                    if frame is None:
                        frame = frame_of_position[position] = self._intern_frame(
                            info[1], info[2], self._line(code, offset) or 0)
            if frame is not None:
                key = (node, frame)
                child = node_index.get(key)
                if child is None:
                    child = node_index[key] = len(nodes)
                    nodes.append([node, frame, 0, 0])
                node = child
            path.append(node)

    def _import_phase_call_samples(self):
        """{file: import-phase samples whose stack holds a function (not a module body) of that file called
        directly by code of another file} — the sampled counterpart of usedAtInit, on every interpreter: a
        module-level `MODEL = load_model()` running joblib's code while init is sampled. Calls made by the
        import machinery (finders, loaders) do not count. Computed over the calling-context tree, whose
        parents come before their children."""
        nodes, frames = self._nodes, self._frames
        kinds = {}

        def is_app_or_library(filename):
            kind = kinds.get(filename)
            if kind is None:
                kind = kinds[filename] = _file_kind(filename) == _FILE_OTHER
            return kind

        called = [()] * len(nodes)  # node -> the files called from another file on its path
        counts = {}
        for index in range(1, len(nodes)):
            parent, frame, import_samples, _execution_samples = nodes[index]
            files = called[parent]
            filename, function, _line = frames[frame]
            if parent > 0 and function != "<module>" and filename not in files:
                caller = frames[nodes[parent][1]][0]
                if caller != filename and is_app_or_library(caller) and is_app_or_library(filename):
                    files = files + (filename,)
            called[index] = files
            if import_samples:
                for called_file in files:
                    counts[called_file] = counts.get(called_file, 0) + import_samples
        return counts

    def _intern_frame(self, filename, function, line):
        key = (filename, function, line)
        index = self._frame_index.get(key)
        if index is None:
            index = self._frame_index[key] = len(self._frames)
            self._frames.append(key)
        return index

    # ---- exact usage signal ------------------------------------------------------------------------

    def _choose_usage_signal(self):
        wanted = self.requested_usage_signal
        has_monitoring = hasattr(sys, "monitoring")
        if wanted == "auto":
            # sys.setprofile fires on every call and return: too costly to be on by default in production. The
            # code counters cost nothing per call but 8-22 ms once, in the first invocation (a walk over the
            # heap, docs/benchmarks.md): more than a default may add to a cold start, so they are opted into.
            wanted = "sys.monitoring" if has_monitoring else "none"
        elif wanted == "exact":
            # A profiling session wants the truth about usage more than fast handler calls: samples miss calls
            # shorter than the interval (and a CPU timer only fires on the kernel's tick, often 4 ms).
            wanted = "sys.monitoring" if has_monitoring else "setprofile"
        if wanted == "sys.monitoring" and not has_monitoring:
            raise RuntimeError("sys.monitoring needs Python 3.12+; usage signal disabled")
        if wanted == "code-counters" and has_monitoring:
            raise RuntimeError("code counters are read before Python 3.12 only (use sys.monitoring); usage signal"
                               " disabled")
        return wanted

    def _setup_usage_signal(self):
        """Chooses the usage signal at start(). sys.monitoring is switched on for good here, so that it also
        sees, during init, which modules' functions other modules' code calls (used at init); setprofile is
        switched on per invocation only (it fires on every call)."""
        self._usage_callback = False  # stays so when the chosen method cannot start
        method = self._choose_usage_signal()
        if method == "none":
            return
        if method == "code-counters":
            # Nothing to switch on: the interpreter counts anyway. The reader is made, and the counters read,
            # when the first invocation begins (_start_usage_signal), so that init pays nothing. (The reading
            # stands where the other signals keep their callback.)
            self._usage_callback = self._read_counter_baseline
            self.usage_signal = method
            return
        seen = self._seen_code
        main_stack = self._main_imports
        if method == "setprofile":
            phase = self._phase

            def on_profile_event(frame, event, arg):
                # Threads started during an invocation keep this callback (threading hands it to each new
                # thread): their calls between invocations, and after finish(), belong to none.
                if event == "call" and not main_stack and phase[0] == PHASE_EXECUTION:
                    seen.append(frame.f_code)

            self._usage_callback = on_profile_event
            self.usage_signal = method
            return
        monitoring = sys.monitoring
        disable = monitoring.DISABLE
        for tool in (monitoring.PROFILER_ID, 3, 4):
            if monitoring.get_tool(tool) is None:
                monitoring.use_tool_id(tool, "coldspy")
                self._monitoring_tool = tool
                break
        else:
            raise RuntimeError("no free sys.monitoring tool id; usage signal disabled")
        phase = self._phase
        init_calls = self._init_calls
        getframe = sys._getframe
        standard_library = {}

        def passes_calls_on(filename):
            known = standard_library.get(filename)
            if known is None:
                known = _in_standard_library(filename) and _file_kind(filename) != _FILE_MACHINERY
                standard_library[filename] = known
            return known

        own_calls = {}  # code: calls from its own file at init seen so far

        def on_py_start(code, offset):
            # One event per code object and phase (a few more at init): DISABLE silences it until
            # restart_events(), which each invocation calls; so the cost grows with the functions that run, not
            # with the calls.
            current = phase[0]
            if current == PHASE_EXECUTION:
                if main_stack:
                    # Code run by an import is not use of its module: stay enabled, so that a later call
                    # outside the import is seen.
                    return None
                seen.append(code)
            elif current == PHASE_INIT and code.co_name != "<module>":
                caller = getframe(1).f_back  # frame 1 is the function starting; C callers are invisible
                if caller is not None and caller.f_code.co_filename != code.co_filename:
                    caller = _caller_outside_standard_library(caller, passes_calls_on)
                    if caller.f_code.co_filename != code.co_filename:
                        # judged in snapshot(), outside init, with the import running (its module body is
                        # the nearest one on the stack, but for machinery frames)
                        init_calls.append((code, caller.f_code, main_stack[-1][_NAME] if main_stack else None))
                        return disable
                # Its own file's call (or a C caller's) is no use: stay on for a few, as another file may call
                # it later (a library's body registers with functools.singledispatch, then the app calls it).
                calls = own_calls.get(code, 0)
                if calls < _OWN_CALLS_WATCHED:
                    own_calls[code] = calls + 1
                    return None
            return disable

        monitoring.register_callback(self._monitoring_tool, monitoring.events.PY_START, on_py_start)
        # Enabled once for good: every set_events() makes CPython re-instrument each code object on its next
        # run, which cost milliseconds per invocation when toggled around each call.
        monitoring.set_events(self._monitoring_tool, monitoring.events.PY_START)
        self._usage_callback = on_py_start
        self.usage_signal = method

    def _start_usage_signal(self):
        if not self._usage_callback:
            return
        if self.usage_signal == "sys.monitoring":
            if self._usage_watched:
                sys.monitoring.restart_events()  # re-enable the code DISABLEd during init or the last invocation
        elif self.usage_signal == "code-counters":
            if self._counter_baseline is None:
                self._read_counter_baseline()
        else:
            # Threads the handler starts (a thread pool running a web framework's sync routes) run its code too;
            # sys.setprofile covers the calling thread only. Loaded by Lambda's runtime and the local runner. Set
            # first: called after sys.setprofile, threading.setprofile would count as the handler's use of threading.
            threading = sys.modules.get("threading")
            if threading is not None:
                previous = getattr(threading, "_profile_hook", None)
                if previous is not self._usage_callback:
                    self._previous_thread_profile = previous
                threading.setprofile(self._usage_callback)
            previous = sys.getprofile()
            if previous is not self._usage_callback:  # left on by an invocation whose end failed: not the app's
                self._previous_profile = previous
            sys.setprofile(self._usage_callback)

    def _read_counter_baseline(self):
        """Which code had run by the end of init, and how often: runs after this are the execution phase's.
        Taken once, before the first invocation, in its time (agentUs.execution)."""
        started = time.perf_counter_ns()
        try:
            from coldspy import code_counters
            self._counters = code_counters.probe()
            self._counter_baseline = self._counters.ran_codes(rearm_outside=AGENT_DIR)
        except Exception:
            self._drop_usage_signal()
            raise
        finally:
            self._own_time_ns[PHASE_EXECUTION] += time.perf_counter_ns() - started

    def _drop_usage_signal(self):
        """Nothing read means nothing known: "none", never an exact "no module ran"."""
        self._usage_callback = False
        self.usage_signal = "none"

    def _counted_usage(self):
        """(files whose code ran since the baseline, files whose stopped counters could not tell)."""
        if self._counter_baseline is None:
            return set(), set()
        try:
            ran, unseen = self._counters.ran_since(self._counter_baseline)
        except Exception:
            self._drop_usage_signal()
            raise
        ran_files = {code.co_filename for code in ran if code.co_name != "<module>"}
        unseen_files = {code.co_filename for code in unseen} - ran_files
        return ({f for f in ran_files if not f.startswith(AGENT_DIR)},
                {f for f in unseen_files if not f.startswith(AGENT_DIR)})

    def _stop_usage_signal(self):
        if not self._usage_callback or self.usage_signal == "code-counters":
            return set()  # the counters are read in snapshot(): per invocation, they would cost a walk each
        if self.usage_signal == "setprofile":
            self._remove_profile_hooks()
        files = set()
        for code in self._seen_code:
            filename = code.co_filename
            if not filename.startswith(AGENT_DIR):
                files.add(filename)
        del self._seen_code[:]
        return files

    def _remove_profile_hooks(self):
        """Takes the setprofile callback off this thread and off threading's hook for new threads, where they
        are still the agent's, putting back what the application had."""
        if sys.getprofile() is self._usage_callback:
            sys.setprofile(self._previous_profile)
        threading = sys.modules.get("threading")
        if threading is not None and getattr(threading, "_profile_hook", None) is self._usage_callback:
            threading.setprofile(self._previous_thread_profile)

    def _release_usage_signal(self):
        # An invocation whose end failed (an error noted) may have left the setprofile callback on: finish()
        # must not leave it calling the agent on every call of the application from then on.
        if self._usage_callback and self.usage_signal == "setprofile":
            self._remove_profile_hooks()
        if self._monitoring_tool is not None:
            monitoring = sys.monitoring
            monitoring.set_events(self._monitoring_tool, 0)
            monitoring.register_callback(self._monitoring_tool, monitoring.events.PY_START, None)
            monitoring.free_tool_id(self._monitoring_tool)
            self._monitoring_tool = None

    # ---- invocations -------------------------------------------------------------------------------

    def _begin_invocation(self, watch_usage=True):
        # The usage signal first, while the phase is off: what the code counters' reader imports at the first
        # invocation is the agent's, not the handler's, and must not be recorded as one of its imports.
        self._usage_watched = watch_usage or self.usage_signal != "sys.monitoring"
        if self._usage_callback:
            self._safely("usage signal", self._start_usage_signal)
        self._phase[0] = PHASE_EXECUTION
        if not self._armed:
            self._safely("sampler", self._arm)

    def _end_invocation(self, event_name, duration_ns, exc, post_response=False):
        if self.clock != "cpu":
            self._safely("sampler", self._pause)
        elif not post_response:
            self._safely("sampler", self._keep_timer)
        self._phase[0] = PHASE_OFF
        # Each step is skipped when it has nothing to do: after an idle time every call here runs from cold
        # caches, a few µs each (docs/benchmarks.md).
        executed = set()
        if self._usage_callback:
            try:
                executed = self._stop_usage_signal()
            except Exception as error:
                self.note_error("usage signal: %s: %s" % (type(error).__name__, error))
            self._executed_files |= executed
        listed = len(self.invocations) < INVOCATIONS_LISTED
        if self._raw_samples:
            try:
                self._take_samples(len(self.invocations) if listed else None)
            except Exception as error:
                self.note_error("sampler: %s: %s" % (type(error).__name__, error))
        if not listed:
            self.invocations_not_listed += 1
            return
        self.invocations.append({
            "event": event_name,
            "durationNs": duration_ns,
            "peakRssBytes": None if post_response else self._safely_call("memory", self.memory.peak),
            "exceptionType": None if exc is None else _qualified_name(type(exc)),
            # Unwatched, only the code that ran for the first time reported itself: the cold start's, not a list
            # of this call's modules.
            "executedFiles": executed if self._usage_watched else set(),
            "usageWatched": self._usage_watched,
            "samples": 0,  # execution samples, counted when folded
        })
        self._peak_pending = self.invocations[-1] if post_response else None

    def _read_init_peak(self):
        self.init_peak_rss = self.memory.peak()

    # ---- the record of this cold start -------------------------------------------------------------

    def snapshot(self):
        """The cold start observed so far, with file paths as strings (see coldspy.document)."""
        self._safely("sampler", self._check_signal_ours)
        self.settle()
        module_of_file = module_names_by_file()
        loaded = [record for record in self._imports if record[_LOADED] is not None]
        modules = []
        cache_dirs = {}
        loader_kinds = {}
        if self._bytecode_hooks is not None and sys.modules["_frozen_importlib_external"].SourceLoader.__dict__.get(
                "source_to_code") is not self._bytecode_hooks[2]:
            self._compiles_watched = False  # displaced while running: compiles since then were not seen
        loading = _loading_records(loaded) if self._compiles_watched else set()
        for record in loaded:
            parent = record[_PARENT]
            while parent is not None and parent[_LOADED] is None:
                parent = parent[_PARENT]  # a failed import is no module: its children move up
            # Here, as the record is read, and not in settle(): another thread's import may set its trigger at
            # any time (it is recorded first), and no code object may reach the profile.
            self._resolve_record(record)
            trigger = record[_TRIGGER]
            origin = module_origin(record[_LOADED])
            module = {
                "name": record[_NAME],
                "parent": parent[_NAME] if parent is not None else None,
                "file": origin,
                "selfUs": max(0, (record[_CUMULATIVE_NS] - record[_CHILDREN_NS]) // 1000),
                "cumulativeUs": record[_CUMULATIVE_NS] // 1000,
                "phase": "init" if record[_PHASE] == PHASE_INIT else "execution",
                "trigger": list(trigger) if trigger is not None else None,
                "rssDeltaBytes": record[_RSS_DELTA],
            }
            if record[_FULL_GC_CUMULATIVE_NS] >= 1000 and self._gc_ns is not None and module["cumulativeUs"] > 0:
                module["fullGcCumulativeUs"] = min(record[_FULL_GC_CUMULATIVE_NS] // 1000, module["cumulativeUs"])
                if record[_FULL_GC_NS] >= 1000 and module["selfUs"] > 0:
                    module["fullGcUs"] = min(record[_FULL_GC_NS] // 1000, module["selfUs"])
            statement = record[_STATEMENT]
            if statement is not None and trigger is not None:
                module["statement"] = statement
            bytecode = record[_BYTECODE]
            if bytecode is None and id(record) in loading:
                bytecode = self._safely_call("bytecode", _bytecode_without_compile, record[_LOADED], origin,
                                             loader_kinds)
            if bytecode is not None and bytecode is not _LOAD_UNSEEN and bytecode[1] == origin:
                module["bytecode"] = self._safely_call("bytecode", _bytecode_entry, bytecode, cache_dirs)
                if module["bytecode"] is None:
                    del module["bytecode"]
            modules.append(module)
        usage = {module["name"]: {"samples": 0, "executed": False} for module in modules}
        for filename, count in self._execution_samples_by_file.items():
            name = module_of_file.get(filename)
            if name is not None:
                usage.setdefault(name, {"samples": 0, "executed": False})["samples"] += count
        executed_files = self._executed_files
        unseen_files = ()
        if self.usage_signal == "code-counters":
            executed_files, unseen_files = self._safely_call("usage signal", self._counted_usage) or (set(), set())
        for filename in executed_files:
            name = module_of_file.get(filename)
            if name is not None:
                usage.setdefault(name, {"samples": 0, "executed": False})["executed"] = True
        for filename in unseen_files:
            name = module_of_file.get(filename)
            if name is not None:
                entry = usage.setdefault(name, {"samples": 0, "executed": False})
                if not entry["executed"]:
                    entry["executedUnknown"] = True
        for filename, count in self._import_phase_call_samples().items():
            name = module_of_file.get(filename)
            if name is not None:
                entry = usage.setdefault(name, {"samples": 0, "executed": False})
                entry["importPhaseCallSamples"] = entry.get("importPhaseCallSamples", 0) + count
        # Without a reading (it failed: noted), use at init stays unknown rather than "not used".
        init_callers = self._safely_call("use at init", _init_callers, self._init_calls, module_of_file) \
            if self.usage_signal == "sys.monitoring" else None
        if init_callers is not None:
            for name, callers in init_callers.items():
                entry = usage.setdefault(name, {"samples": 0, "executed": False})
                entry["usedAtInit"] = True
                entry["initCallers"] = sorted(callers)
            for entry in usage.values():
                entry.setdefault("usedAtInit", False)
        invocations = []
        for index, invocation in enumerate(self.invocations):
            invocations.append({
                "index": index,
                "event": invocation["event"],
                "durationUs": invocation["durationNs"] // 1000,
                "peakRssBytes": invocation["peakRssBytes"],
                "outcome": "return" if invocation["exceptionType"] is None else "exception",
                "exceptionType": invocation["exceptionType"],
                "modulesExecuted": sorted({module_of_file[f] for f in invocation["executedFiles"]
                                           if f in module_of_file}),
                "samples": invocation["samples"],
                **({} if invocation["usageWatched"] else {"usageObserved": False}),
            })
        return {
            "initUs": self.init_us,
            "initPeakRssBytes": self.init_peak_rss,
            "samples": {"import": self.sample_counts[0], "execution": self.sample_counts[1]},
            "agentUs": {"init": int(self._own_time_ns[PHASE_INIT] // 1000),
                        "execution": int(self._own_time_ns[PHASE_EXECUTION] // 1000)},
            **({"gcUs": {"init": self._gc_ns[PHASE_INIT] // 1000, "execution": self._gc_ns[PHASE_EXECUTION] // 1000}}
               if self._gc_ns is not None else {}),
            "modules": modules,
            "invocations": invocations,
            **({"invocationsNotListed": self.invocations_not_listed} if self.invocations_not_listed else {}),
            "moduleUsage": usage,
            "callTree": {
                "frames": [[filename, function, line, module_of_file.get(filename)]
                           for filename, function, line in self._frames],
                "nodes": [list(node) for node in self._nodes],
            },
            "errors": list(self.errors),
            "usageSignal": self.usage_signal,
            "memoryMethod": self.memory.method,
        }


def _init_callers(init_calls, module_of_file):
    """{module: {calling module}} of the functions that code of another file called during init. A call by
    the import machinery (a finder, a loader) or by the agent is no use; a caller without a module counts
    without a name. A call from another package while the callee's own package was being imported is that
    package's (`six.add_metaclass` calling back into the library that used it): the import's."""
    callers = {}
    for code, caller_code, importing in init_calls:
        if _file_kind(caller_code.co_filename) != _FILE_OTHER or _file_kind(code.co_filename) != _FILE_OTHER:
            continue
        name = module_of_file.get(code.co_filename)
        if name is None:
            continue
        caller = module_of_file.get(caller_code.co_filename)
        top = name.partition(".")[0]
        if (importing is not None and importing.partition(".")[0] == top
                and (caller is None or caller.partition(".")[0] != top)):
            if importing == name:
                continue  # its own module body's call, passed through another package
            caller = importing
        found = callers.setdefault(name, set())
        if caller is not None and caller != name:
            found.add(caller)
    return callers


def _loading_records(records):
    """The ids of the records whose import got a module's code without a compile being seen, one per module.
    Several records can stand for one module: an import that found it loaded by a nested import of the same
    name (`import pkg.sub` where the package runs `from . import sub`), or a thread that waited while another
    loaded it. The innermost of nested ones, and of the rest the earliest started (records are in start
    order), is the one that loaded it. A module with a compile seen (or a load not watched) has none."""
    outer = set()
    for record in records:
        parent = record[_PARENT]
        while parent is not None:
            if parent[_NAME] == record[_NAME]:
                outer.add(id(parent))
            parent = parent[_PARENT]
    loader_of = {}
    watched_otherwise = set()
    for record in records:
        if record[_BYTECODE] is not None:
            watched_otherwise.add(record[_NAME])
        elif id(record) not in outer:
            loader_of.setdefault(record[_NAME], record)
    return {id(record) for name, record in loader_of.items() if name not in watched_otherwise}


def _bytecode_without_compile(module, origin, loader_kinds):
    """How a module that was not compiled from source got its code: (BYTECODE_CACHE, origin) when a standard
    source loader loaded it (SourceLoader.get_code unmarshalled a cache that validated, since it would
    otherwise have called source_to_code, which is watched), (BYTECODE_SOURCELESS, origin) for the
    sourceless loader, None for any other loader. `loader_kinds` memoises the verdict per loader class."""
    try:
        # Not getattr(module, ...): a lazily loaded module (importlib.util.LazyLoader) would run its body.
        spec = object.__getattribute__(module, "__dict__").get("__spec__")
    except Exception:
        return None
    loader = getattr(spec, "loader", None)
    if loader is None or origin is None:
        return None
    state = getattr(spec, "loader_state", None)
    if isinstance(state, dict) and "__class__" in state:
        # importlib.util.LazyLoader's module: its code is got on first attribute access, perhaps long after
        # the import and outside any watched import, so a compile then may go unseen.
        return None
    cls = type(loader)
    kind = loader_kinds.get(cls, False)
    if kind is False:
        kind = loader_kinds[cls] = _standard_bytecode_kind(cls)
    return (kind, origin) if kind is not None else None


def _standard_bytecode_kind(cls):
    external = sys.modules["_frozen_importlib_external"]

    def owner(name):
        for klass in cls.__mro__:
            if name in klass.__dict__:
                return klass
        return None

    if issubclass(cls, external.SourcelessFileLoader) and owner("get_code") is external.SourcelessFileLoader:
        return BYTECODE_SOURCELESS
    if issubclass(cls, external.SourceLoader) and owner("get_code") is external.SourceLoader \
            and owner("source_to_code") is external.SourceLoader:
        return BYTECODE_CACHE
    return None


def _bytecode_entry(bytecode, cache_dirs):
    """The profile's `bytecode` object of one module (docs/profile-format.md). `cache_dirs` memoises the
    listing of each __pycache__ directory."""
    if bytecode[0] != BYTECODE_SOURCE:
        return {"from": bytecode[0]}
    _kind, source_path, compile_ns, cache_path, before = bytecode
    if before is not None:
        cause = "stale"  # a cache file for this interpreter was there, and get_code compiled anyway
    elif cache_path is not None and _other_version_cache(source_path, cache_path, cache_dirs):
        cause = "other-version"
    else:
        cause = "none"
    try:
        found = os.stat(cache_path) if cache_path is not None else None
        after = (found.st_mtime_ns, found.st_size) if found is not None else None
    except OSError:
        after = None
    return {"from": BYTECODE_SOURCE, "compileUs": compile_ns // 1000, "cause": cause,
            "cacheWritten": after is not None and after != before}


def _other_version_cache(source_path, cache_path, cache_dirs):
    """Whether the cache directory holds `<stem>.<tag>[.opt-N].pyc` for a tag other than this interpreter's."""
    directory, own_name = os.path.split(cache_path)
    names = cache_dirs.get(directory)
    if names is None:
        try:
            names = cache_dirs[directory] = os.listdir(directory)
        except OSError:
            names = cache_dirs[directory] = []
    stem = os.path.basename(source_path).rpartition(".")[0] + "."
    own_tag = sys.implementation.cache_tag
    for name in names:
        if name.startswith(stem) and name.endswith(".pyc") and name != own_name:
            tag = name[len(stem):].split(".", 1)[0]
            if tag != own_tag:
                return True
    return False


def _qualified_name(cls):
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module in (None, "builtins") else "%s.%s" % (module, name)
