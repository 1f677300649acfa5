"""Profiling inside AWS Lambda: one agent per execution environment (one cold start), one profile file.

Two ways in, both ending here:
- `import coldspy.auto` as the first line of the handler module (coldspy/auto.py);
- `AWS_LAMBDA_EXEC_WRAPPER=/opt/coldspy/bin/coldspy-wrapper` (profiler/bin/coldspy-wrapper), which points the
  runtime at coldspy.lambda_entry, which imports the real handler under the agent.

The profile is written atomically to `$COLDSPY_OUTPUT_DIR` (default /tmp) as
`coldspy-<function>-<UTC time>-<random>.json` on a schedule that leaves warm invocations alone (see
LambdaSession.invoke), on SIGTERM and at interpreter exit. Where Lambda's Extensions API is there
(AWS_LAMBDA_RUNTIME_API), the scheduled writes run after the response, in the agent's extension
(coldspy.extension); elsewhere right after the handler returns. Settings come from the environment:
COLDSPY_INTERVAL_MS (default 1), COLDSPY_CLOCK (cpu|wall, default cpu), COLDSPY_USAGE_SIGNAL
(auto|exact|sys.monitoring|code-counters|setprofile|none; default auto), COLDSPY_WRITE_INTERVAL_S (default 60),
COLDSPY_S3_URI (s3://bucket/prefix: each write is uploaded after the response, see coldspy.s3_upload).
"""

import atexit
import gc
import os
import sys
import time
import _signal
import _thread

from coldspy.agent import AGENT_DIR, USAGE_SIGNALS, Agent

ACTIVE = []  # the session of this process, once one started (a second entry point then stays out)


def _setting(name, default, allowed=None):
    value = os.environ.get(name, "").strip() or default
    if allowed is not None and value not in allowed:
        return default, "%s=%r is not one of %s; using %s" % (name, value, "|".join(allowed), default)
    return value, None


class LambdaSession:
    """The agent of one Lambda execution environment and the file its profile goes to."""

    def __init__(self, handler_text):
        problems = []
        interval, problem = _setting("COLDSPY_INTERVAL_MS", "1")
        try:
            interval_us = int(round(float(interval) * 1000))
            if interval_us < 0:
                raise ValueError(interval)
        except ValueError:
            interval_us = 1000
            problem = "COLDSPY_INTERVAL_MS=%r is not a number of milliseconds; using 1" % interval
        problems.append(problem)
        # CPU clock by default: a function with less than a full vCPU gets few CPU-milliseconds per
        # wall-second, and a wall-clock sampler would cost that much more (docs/benchmarks.md).
        clock, problem = _setting("COLDSPY_CLOCK", "cpu", ("wall", "cpu"))
        problems.append(problem)
        usage, problem = _setting("COLDSPY_USAGE_SIGNAL", "auto", USAGE_SIGNALS)
        problems.append(problem)
        write_interval, problem = _setting("COLDSPY_WRITE_INTERVAL_S", "60")
        try:
            self.write_interval_s = float(write_interval)
            if not self.write_interval_s >= 0:
                raise ValueError(write_interval)
        except ValueError:
            self.write_interval_s = 60.0
            problem = "COLDSPY_WRITE_INTERVAL_S=%r is not a number of seconds; using 60" % write_interval
        problems.append(problem)
        self.agent = Agent(interval_us, clock, usage)
        for message in problems:
            if message:
                self.agent.note_error(message)
        self.handler_text = handler_text
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or "lambda"
        self.root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
        memory = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "")
        self.memory_limit_mb = int(memory) if memory.isdigit() else None
        # "on-demand", "provisioned-concurrency", "snap-start" or "lambda-managed-instances" (Lambda's), or None
        self.initialization_type = os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") or None
        # Lambda Managed Instances: the runtime's worker processes (one session each) serve invocations one after
        # another, nothing freezes between them, and extensions may register for SHUTDOWN only.
        self.managed_instances = (self.initialization_type == "lambda-managed-instances"
                                  or bool(os.environ.get("AWS_LAMBDA_MAX_CONCURRENCY")))
        self.output_dir = os.environ.get("COLDSPY_OUTPUT_DIR") or "/tmp"
        self.started_at = self.path = None
        self._name_environment()
        self._environment = None
        self._invocations = 0
        self._next_write = 1  # invocation count at which the next write is due
        self._last_write = None  # time.monotonic() of the last write
        # coldspy.extension.PostResponseExtension where Lambda's API is there (PostResponseThread with Lambda
        # Managed Instances)
        self._extension = None
        self._on_sigterm = None  # our SIGTERM handler, once installed
        self._sigterm_wake = None  # its SigtermWake
        self._init_ended = False
        self._uploads = None  # coldspy.s3_upload.ChildProcessUploads, with COLDSPY_S3_URI
        self._not_uploaded = False  # a write since the last upload
        # Held by a write, and by an invocation's start: a write after the response (the extension's thread)
        # never overlaps an invocation, even where a platform would not wait for the extension. Reentrant:
        # SIGTERM's handler writes in the main thread, maybe during a write of its own.
        self._write_lock = _thread.RLock()
        # The process the profile belongs to: a child forked by the function inherits the SIGTERM handler and
        # the atexit hook, and must not overwrite the file with its copy of the agent.
        self._pid = os.getpid()
        ACTIVE.append(self)

    def _name_environment(self):
        """The environment's start (`started_at`) and its profile's file (`path`), which also names its S3 object:
        unique to the environment. Taken again when a SnapStart environment has been restored from its
        snapshot (see invoke()): every environment restored from one snapshot starts with the name made during
        the snapshot's init, and each would overwrite the others' profiles in S3."""
        self.started_at = time.time()
        safe_name = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.function_name)
        self.path = os.path.join(self.output_dir, "coldspy-%s-%s-%s.json" % (
            safe_name, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.started_at)), os.urandom(4).hex()))

    def _restored(self):
        """A SnapStart environment's first invocation: it runs in an environment restored from the snapshot made
        after init (Lambda invokes none while it makes the snapshot), maybe one of many."""
        self._name_environment()
        if self._uploads is not None:
            self._uploads = self._uploads.for_environment_started(self.started_at)

    def start(self, enclosing_module=None, post_response=True):
        """Starts the agent. With `post_response` the extension is registered first (its registration, and
        the upload module's import, are the agent's doing, not the function's init); without, the caller
        calls start_post_response() once the runtime is sure to call the profiled handler (coldspy.auto)."""
        if post_response:
            self.start_post_response()
        try:
            self.agent.start(enclosing_module)
        except Exception as exc:  # the session goes on (the extension may wait for its invocations), unprofiled
            self.agent.note_error("agent start: %s: %s" % (type(exc).__name__, exc))
        atexit.register(self.close)  # an init that raises never reaches an invocation
        try:
            self._watch_sigterm()
        except Exception as exc:
            self.agent.note_error("SIGTERM handler: %s: %s" % (type(exc).__name__, exc))

    def start_post_response(self):
        """Registers the extension that writes (and with COLDSPY_S3_URI uploads) the profile after the
        response, where Lambda's Extensions API is there (an extension can register during init only). Only
        once every invocation is sure to go through invoke(): the extension waits for each one to finish
        before it lets Lambda freeze the environment, so an invocation that bypassed the agent would hold the
        freeze until the function's timeout.
        Without it the writes happen right after the handler returns, and nothing is uploaded; a bad URI or
        a failed registration is recorded."""
        uri = os.environ.get("COLDSPY_S3_URI", "").strip()
        if uri:
            try:
                from coldspy import s3_upload

                self._uploads = s3_upload.ChildProcessUploads(uri, function_name=self.function_name,
                                                              started_at=self.started_at)
            except Exception as exc:
                self.agent.note_error("COLDSPY_S3_URI: %s: %s; profiles are not uploaded" % (
                    type(exc).__name__, exc))
        if not os.environ.get("AWS_LAMBDA_RUNTIME_API"):
            if self._uploads is not None:
                self._uploads = None
                self.agent.note_error("COLDSPY_S3_URI: no Lambda Extensions API (AWS_LAMBDA_RUNTIME_API is not "
                                      "set); profiles are not uploaded")
            return
        try:
            from coldspy import extension

            if self.managed_instances:
                post_response = extension.PostResponseThread(self._after_response, self.agent.note_error,
                                                             on_start=self._watch_sigterm_between_invocations)
            else:
                post_response = extension.PostResponseExtension(self._after_response, self.agent.note_error,
                                                                self._invocation_finished,
                                                                self._watch_sigterm_between_invocations)
            if post_response.start():
                self._extension = post_response
        except Exception as exc:
            self.agent.note_error("Lambda extension: %s: %s" % (type(exc).__name__, exc))
        if self._extension is None:
            self._no_extension()
        elif self._init_ended:
            self._serve_extension()  # registered at the end of init (coldspy.auto)

    def _no_extension(self, why="the extension did not register"):
        if self._uploads is not None:
            self._uploads = None
            self.agent.note_error("COLDSPY_S3_URI: %s; profiles are not uploaded" % why)

    def _watch_sigterm(self):
        """Lambda sends SIGTERM before it shuts an environment down (when the function has an extension):
        write the profile, then end the process as SIGTERM's default action would. An application's own
        SIGTERM handler is left alone: it decides the end (interpreter exit still writes through atexit), and
        the agent only writes what it has at a SIGTERM between invocations (SigtermWake), where that handler
        may never run."""
        if _signal.getsignal(_signal.SIGTERM) in (_signal.SIG_DFL, None):
            def on_sigterm(signum, frame):
                self.close(ended_by="SIGTERM")
                _signal.signal(_signal.SIGTERM, _signal.SIG_DFL)
                os.kill(os.getpid(), _signal.SIGTERM)

            _signal.signal(_signal.SIGTERM, on_sigterm)
            self._on_sigterm = on_sigterm
        self._sigterm_wake = SigtermWake(self._terminated_between_invocations, self.agent.note_error)

    def _watch_sigterm_between_invocations(self):
        if self._sigterm_wake is not None:
            self._sigterm_wake.watch()

    def _terminated_between_invocations(self):
        """SIGTERM came while the runtime's main thread waited for the next event inside C code, where a Python
        handler cannot run (SigtermWake): with ours, the final write, then the end SIGTERM's default action
        gives. With the application's (installed before the agent's or since), the profile so far, and the end is
        its handler's (or, if it never runs, Lambda's SIGKILL's), as without the agent."""
        if self.agent.closed:
            return  # the main thread's handler came first (the runtime waited in a thread of its own)
        if self._on_sigterm is None or _signal.getsignal(_signal.SIGTERM) is not self._on_sigterm:
            self.flush()
            return
        self.close(ended_by="SIGTERM")
        try:
            import ctypes  # only here: the process ends

            # signal.signal() works in the main thread only, and that one is stuck in C: libc's own call
            ctypes.CDLL(None).signal(_signal.SIGTERM, 0)  # SIG_DFL
            os.kill(os.getpid(), _signal.SIGTERM)
        except Exception:
            pass  # no ctypes in this Python: the SIGKILL below ends the process all the same
        os.kill(os.getpid(), _signal.SIGKILL)

    def end_init(self):
        self.agent.end_init()
        if self.initialization_type == "provisioned-concurrency" or self.managed_instances:
            # Init ran ahead of any request: the first write (folding init's samples, the bulk of it) costs
            # no one anything here, and the first invocation is left to the doubling schedule. The write
            # is uploaded after the first invocation (the extension can act only after one).
            self._not_uploaded = self.flush()
            self._last_write = time.monotonic()
            self._next_write = 2
        self._serve_extension()

    def init_failed(self, exc):
        """The handler module raised while being imported: keep what was measured, then let it propagate."""
        self.agent.end_init()
        self.agent.note_error("init failed: importing the handler module raised %s" % type(exc).__name__)
        # Before the final write, so that a failed registration is in it; a registered extension that never
        # asks for its next event could hold Lambda's init.
        self._serve_extension()
        self.close()

    def _serve_extension(self):
        """Init is over: the extension (registered at start()) may ask for its first event now, and SIGTERM is
        watched until the first invocation (an environment may be shut down before any: provisioned
        concurrency, a Managed Instances worker)."""
        self._init_ended = True
        if self._extension is not None and self._sigterm_wake is not None:
            self._sigterm_wake.arm()
        if self._extension is not None and not self._extension.serve():
            # Kept: one registered but without its thread still answers Lambda after each invocation.
            self._no_extension("the extension's thread did not start" if self._extension.registered
                               else "the extension did not register")

    def close(self, ended_by=None):
        """Stops the agent and writes the final profile (at interpreter exit, at SIGTERM: `ended_by`, or after a
        failed init)."""
        if os.getpid() != self._pid:
            return  # a forked child: the profile is the parent's (and the lock may be held by a lost thread)
        with self._write_lock:  # not while the extension's thread is writing
            if self.agent.closed:
                return
            if not self._init_ended and ended_by is not None:
                self.agent.note_error("init never ended: %s came before the runtime looked the handler %s up"
                                      % (ended_by, self.handler_text))
            elif not self._init_ended:
                self.agent.note_error("init never ended: the runtime's lookup of the handler %s was not seen (the"
                                      " exec wrapper profiles a function however its handler module is imported)"
                                      % self.handler_text)
            self.agent.finish()
            self.flush()

    def invoke(self, handler, event, context):
        """One invocation. The profile is written after the first (cold) one, then when the count of
        invocations has doubled since the last write *and* COLDSPY_WRITE_INTERVAL_S have passed (whichever is
        rarer): the file holds at least half of the invocations served (all of init) whenever the environment
        is frozen or dropped. With the extension the write (and the upload) happens after the response, and
        the invocation only tells the extension it finished; without it the write follows the handler."""
        try:
            # Held for the whole invocation: no write runs during one. (Lambda freezes the environment until the
            # extension's work after the previous response is done; with Lambda Managed Instances nothing does.)
            with self._write_lock:
                if self._invocations == 0 and self.initialization_type == "snap-start":
                    try:
                        self._restored()
                    except Exception as exc:
                        self.agent.note_error("SnapStart restore: %s: %s" % (type(exc).__name__, exc))
                if self._sigterm_wake is not None:
                    self._sigterm_wake.disarm()
                # With the extension's thread, the invocation's last steps (its peak RSS, the sampler's timer
                # checked) run there, right after the response, while Lambda holds the next invocation back.
                last_steps_later = (self._extension is not None and self._extension.alive
                                    and self._extension.holds_the_next_invocation)
                try:
                    return self.agent.invoke(handler, event, context, "lambda-invocation",
                                             post_response=last_steps_later,
                                             watch_usage=watches_usage(self._invocations))
                finally:
                    self._invocations += 1
                    if self._extension is None or not self._extension.alive:
                        if last_steps_later:
                            self.agent.after_response()  # left to a thread that has stopped since the call began
                        self._write_if_due()
        finally:
            if self._extension is not None:
                if self._sigterm_wake is not None:
                    # Before the extension wakes: setting the wakeup fd lets the interpreter's lock go for a
                    # moment (fstat), and a thread awake by then would take it, and the response would wait for
                    # its work (+0.2 ms on pdf_report's warm responses).
                    self._sigterm_wake.arm()
                # With its thread: wakes it for the work after the response. Without: one registered still
                # answers Lambda here.
                self._extension.invocation_finished()

    def profiled(self, handler, is_invocation=None):
        """`handler` run under the agent, as the runtime is to call it. `is_invocation()`, if given, is asked
        first: False runs the call as it is (a warm-up call made during init). An exception leaves with the
        handler's own stack (without_agent_frames): this function is the one frame of the agent's between the
        runtime and the handler."""
        def profiled_handler(event, context):
            if is_invocation is not None and not is_invocation():
                return handler(event, context)
            try:
                return self.invoke(handler, event, context)
            except BaseException as exc:
                exc.__traceback__ = without_agent_frames(exc.__traceback__)
                if RERAISE_TAKES_THE_SET_TRACEBACK:
                    raise
                raise exc

        return profiled_handler

    def _write_if_due(self):
        if self._invocations >= self._next_write and (
                self._last_write is None or time.monotonic() - self._last_write >= self.write_interval_s):
            self._not_uploaded = self.flush() or self._not_uploaded
            self._last_write = time.monotonic()
            self._next_write = 2 * self._invocations

    def _invocation_finished(self):
        """The extension's first step after each response: the invocation's peak RSS (before its own work), the
        sampler's timer checked."""
        with self._write_lock:
            self.agent.after_response()

    def _after_response(self):
        """The extension's work after each response: the write when due, then the upload of what was written
        since the last one."""
        self._write_if_due()
        if self._uploads is not None and self._not_uploaded:
            self._not_uploaded = False
            error = self._uploads.upload(self.path, self._extension.deadline if self._extension is not None else None)
            if error:
                self.agent.note_error(error)

    def flush(self):
        """Writes the profile so far; True when the file was written. Never raises (a write problem is
        recorded for the next flush).

        The garbage collector is paused meanwhile: assembling the profile allocates thousands of dicts and
        lists (freed by reference counting, no cycles), which would set off full collections of the app's
        heap inside the invocation (~10 ms with pandas loaded)."""
        if os.getpid() != self._pid:
            return False  # a forked child's copy of the agent: the file is the parent's
        self._write_lock.acquire()
        collecting = gc.isenabled()
        gc.disable()
        try:
            from coldspy import document

            if self._environment is None:
                self._environment = document.environment_facts(True, self.memory_limit_mb, self.initialization_type)
            agent = self.agent
            profile = document.build(
                [agent.snapshot()],
                {"handler": self.handler_text, "root": self.root, "name": self.function_name},
                self._environment,
                {"sampleIntervalUs": agent.interval_us, "clock": agent.clock, "coldStarts": 1},
                started_at=self.started_at)
            document.write_atomically(self.path, profile)
            return True
        except Exception as exc:
            self.agent.note_error("writing %s: %s: %s" % (self.path, type(exc).__name__, exc))
            return False
        finally:
            if collecting:
                gc.enable()
            self._write_lock.release()


class SigtermWake:
    """Runs `on_sigterm` in a thread of its own when SIGTERM comes between invocations.

    Lambda signals the runtime's process with SIGTERM before it shuts an environment down, and a Python handler
    for it runs in the main thread, between two instructions of the interpreter. Between invocations that thread
    waits for the next event, and the Python runtime client (awslambdaric) before Python 3.12 waits inside its C
    code, which goes on waiting after the signal: the handler would never run, the environment would end
    without its final write, and it would no longer end at SIGTERM (its default action) but only at the SIGKILL
    that follows. Python's C handler also writes the signal's number to the "wakeup fd", if one is set: `arm()`
    (main thread, at the end of init and of each invocation) sets it to a pipe, which `watch()` starts a thread
    reading; `disarm()` (before each invocation) unsets it. Only between invocations: during one, the handler
    runs, and the sampler's signals would wake the thread for nothing.

    A wakeup fd the application set is left to it: no watch from then on. Python can only tell which one is set
    by setting another, so the first arm() after the application set one swaps it out for two calls' time (a
    signal in between would reach the pipe, not the application's loop) and puts it back with
    `warn_on_full_buffer` at its default. A process forked between invocations (by a thread of the application)
    does not inherit the watch."""

    def __init__(self, on_sigterm, note_error):
        self._on_sigterm = on_sigterm
        self._note_error = note_error
        self._read = self._write = None
        self._gave_up = False
        self._watching = False

    def arm(self):
        if self._gave_up:
            return
        try:
            if self._write is None:
                self._read, self._write = os.pipe()  # not inherited by exec'ed programs
                os.set_blocking(self._write, False)  # set_wakeup_fd needs it: a signal handler must not block
                os.register_at_fork(after_in_child=self._forked)
            previous = _signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
            if previous not in (-1, self._write):
                self._leave_to_the_application(previous)
        except Exception as exc:  # ValueError: not the main thread; OSError: no pipe
            self._gave_up = True
            self._note_error("SIGTERM between invocations: %s: %s; not watched" % (type(exc).__name__, exc))

    def disarm(self):
        if self._write is not None and not self._gave_up:
            try:
                previous = _signal.set_wakeup_fd(-1)
            except ValueError:  # not the main thread: this invocation runs elsewhere; the watch stays
                return
            if previous not in (-1, self._write):
                self._leave_to_the_application(previous)  # set by something between invocations: not ours

    def _leave_to_the_application(self, fd):
        _signal.set_wakeup_fd(fd)
        self._gave_up = True

    def _forked(self):
        """In a child forked between invocations: the parent's pipe is no wakeup fd of the child's."""
        if self._write is not None:
            try:
                previous = _signal.set_wakeup_fd(-1)
                if previous not in (-1, self._write):
                    _signal.set_wakeup_fd(previous)  # the application's, set meanwhile
            except ValueError:
                pass  # forked from a thread that is not the child's main one: nothing can be set there

    def watch(self):
        """Starts the reading thread, once (from the agent's thread after the response, or at its start: a thread
        started by the main thread would take the interpreter's lock from init or a response)."""
        if self._watching or self._read is None or self._gave_up:
            return
        self._watching = True
        _thread.start_new_thread(self._wait_for_sigterm, ())

    def _wait_for_sigterm(self):
        try:
            while _signal.SIGTERM not in os.read(self._read, 256):
                pass  # another signal between invocations (the sampler's, during the work after a response)
            self._on_sigterm()
        except Exception as exc:
            self._note_error("SIGTERM between invocations: %s: %s" % (type(exc).__name__, exc))


# Invocations whose own list of modules the sys.monitoring usage signal records (re-armed for each): the first few,
# then ever more rarely. Each re-arming makes every function the call runs report itself once more (0.4-0.6 ms of a
# pandas handler's warm call on 3.14, docs/benchmarks.md); between them only code that has never run reports, so
# which modules the environment used stays exact over all its invocations.
USAGE_WATCHED_FIRST = 4


def watches_usage(index):
    """Whether invocation `index` (0-based) of an environment has its usage watched: 0-3, then 7, 15, 31, ... (the
    8th, 16th, 32nd, ...): a dozen of the first thousand."""
    return index < USAGE_WATCHED_FIRST or (index + 1) & index == 0


# Whether a bare `raise` re-raises an exception with the traceback set on it (3.11 and later) rather than with the
# one it was caught with (3.9, 3.10).
RERAISE_TAKES_THE_SET_TRACEBACK = sys.version_info >= (3, 11)


def without_agent_frames(traceback):
    """An exception's traceback as it left the agent's handler wrapper, from the handler's own frames on.

    The runtime reports a handler's exception with its stack (Lambda's error response and log line, X-Ray's
    fault): without the agent that stack starts at the handler. The wrapper re-raises the exception with this
    traceback: from Python 3.11 with a bare `raise`, which adds no frame, so the stack is the same as without the
    agent; before, with `raise exc`, which adds the wrapper's own (the line that re-raises), instead of the
    wrapper's, the session's and the agent's. An exception raised by the agent itself keeps its whole stack."""
    found = traceback
    while found is not None and found.tb_frame.f_code.co_filename.startswith(AGENT_DIR):
        found = found.tb_next
    return found if found is not None else traceback


def handler_text():
    """The handler setting of this function (`_HANDLER`, or what the exec wrapper saved of it)."""
    return os.environ.get("COLDSPY_ORIGINAL_HANDLER") or os.environ.get("_HANDLER") or ""


def split_handler(text):
    """`src/app.lambda_handler` -> ("src.app", "lambda_handler"), as the Lambda Python runtime reads it."""
    module, dot, function = text.rpartition(".")
    if not dot or not module or not function:
        raise ValueError("Lambda handler '%s' must look like module.function" % text)
    return module.replace("/", "."), function


def in_lambda():
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME") or os.environ.get("AWS_LAMBDA_RUNTIME_API"))

