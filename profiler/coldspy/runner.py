"""`coldspy run`: profiles a handler through N cold starts, each a fresh interpreter, into one profile.

Events are spread over cold starts as one round-robin stream: the sorted event list is repeated endlessly
and cold start i takes the next `invocations` events (positions i*K ... i*K+K-1, modulo the number of
events). With 3 events, 10 cold starts and K=2, cold start 0 sees events 0,1; cold start 1 sees 2,0; and so
on — so an event-dependent import is used in some cold starts and not in others, as in production.
"""

import json
import marshal
import os
import statistics
import subprocess
import sys
import tempfile
import time

from coldspy import document

BOOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_boot.py")
EXIT_SETUP_ERROR = 3  # coldspy._child.EXIT_SETUP_ERROR (not imported: it would load the agent here)


class UsageError(Exception):
    """Bad input: reported as one line naming the file, exit status 2."""


class RunError(Exception):
    """The handler could not be profiled (its init raised, every cold start died): exit status 1."""


class Handler:
    """A handler given as `path/to/file.py:function`."""

    def __init__(self, text):
        path, colon, function = text.rpartition(":")
        if not colon or not path or not function:
            raise UsageError("handler '%s' must look like path/to/handler.py:function" % text)
        if not path.endswith(".py"):
            raise UsageError("handler '%s': %s is not a .py file" % (text, path))
        if not os.path.isfile(path):
            raise UsageError("handler file not found: %s" % path)
        if not function.isidentifier():
            raise UsageError("handler '%s': '%s' is not a Python name" % (text, function))
        self.text = text
        self.file = os.path.abspath(path)
        self.root = os.path.dirname(self.file)
        # Any file name Lambda can load: its runtime imports the module by name with importlib, which finds
        # `apply-ocr-to-s3-object.py` as module "apply-ocr-to-s3-object"; only a dot makes it a package path.
        self.module = os.path.basename(path)[:-3]
        self.function = function
        if not self.module or "." in self.module:
            raise UsageError("handler file %s: '%s' cannot be imported as one module (a dot names a package, "
                             "for Lambda too)" % (path, self.module))


def load_events(paths):
    """[(file name, payload)] from event files and directories of *.json files, in the order given."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(".json"))
            if not found:
                raise UsageError("event directory %s holds no .json files" % path)
            files.extend(found)
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise UsageError("event file not found: %s" % path)
    events = []
    for path in files:
        try:
            with open(path, encoding="utf-8") as source:
                payload = json.load(source)
        except json.JSONDecodeError as exc:
            raise UsageError("%s: malformed JSON: %s (line %d, column %d)" % (path, exc.msg, exc.lineno, exc.colno))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError("%s: cannot read event: %s" % (path, exc))
        events.append((os.path.basename(path), payload))
    return events


def events_for(cold_start, per_cold_start, events):
    """The events of one cold start in the round-robin stream (see the module docstring)."""
    return [events[(cold_start * per_cold_start + k) % len(events)] for k in range(per_cold_start)]


def run_cold_start(index, handler, events, options, workdir, profile=True):
    """Runs one fresh interpreter; returns its result dict and exit status."""
    spec_path = os.path.join(workdir, "spec-%d.marshal" % index)
    events_path = os.path.join(workdir, "events-%d.marshal" % index)
    result_path = os.path.join(workdir, "result-%d.json" % index)
    spec = {
        "root": handler.root, "module": handler.module, "function": handler.function,
        "file": handler.file, "events": events_path, "result": result_path, "profile": profile,
        "intervalUs": options.interval_us, "clock": options.clock, "usageSignal": options.usage_signal,
        "functionName": options.name, "memoryMb": options.memory_mb, "timeoutS": options.timeout_s,
    }
    with open(spec_path, "wb") as out:
        marshal.dump(spec, out, 4)
    with open(events_path, "wb") as out:
        marshal.dump(events, out, 4)
    status = subprocess.call([options.python, BOOT, spec_path], cwd=options.cwd or handler.root, env=options.env)
    try:
        with open(result_path, encoding="utf-8") as source:
            result = json.load(source)
    except (OSError, ValueError):
        result = None
    return result, status


class Options:
    """How to run the cold starts. `env` is the children's whole environment (None: this process's);
    `cwd` their working directory (None: the handler's directory, as Lambda's /var/task); `progress` prints
    a line on stderr as each cold start begins, which an editor turns into a progress bar."""

    def __init__(self, python, interval_us, clock, usage_signal, name, memory_mb, timeout_s, env=None, cwd=None,
                 progress=False):
        self.python = python
        self.interval_us = interval_us
        self.clock = clock
        self.usage_signal = usage_signal
        self.name = name
        self.memory_mb = memory_mb
        self.timeout_s = timeout_s
        self.env = env
        self.cwd = cwd
        self.progress = progress


_ENV_NAME_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
_ENV_NAME_CHARACTERS = _ENV_NAME_START + "0123456789"


def env_assignment(text, where):
    """(name, value) of `NAME=VALUE`; `where` names the source in the error."""
    name, equals, value = text.partition("=")
    if not equals or not name or name[0] not in _ENV_NAME_START or name.strip(_ENV_NAME_CHARACTERS):
        raise UsageError("%s: expected NAME=VALUE with NAME made of letters, digits and _, got %r" % (where, text))
    return name, value


def read_env_file(path):
    """{name: value} of a dotenv-style file: NAME=VALUE lines, an optional `export ` prefix, blank lines and
    `#` comments skipped, one pair of matching quotes around a value removed (no escapes, no expansion)."""
    try:
        with open(path, encoding="utf-8") as source:
            lines = source.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("%s: cannot read env file: %s" % (path, getattr(exc, "strerror", None) or exc))
    values = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        name, value = env_assignment(line, "%s:%d" % (path, number))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def child_environment(base, env_files=(), assignments=(), pythonpath=()):
    """The profiled interpreters' environment: `base` (the caller's), then each env file, then each
    NAME=VALUE (later ones win), then the `pythonpath` directories put before any PYTHONPATH so set."""
    env = dict(base)
    for path in env_files:
        env.update(read_env_file(path))
    for text in assignments:
        name, value = env_assignment(text, "--env")
        env[name] = value
    directories = []
    for entry in pythonpath:
        for directory in entry.split(os.pathsep):
            if not directory:
                continue
            if not os.path.isdir(directory):
                raise UsageError("--pythonpath: %s is not a directory" % directory)
            directories.append(os.path.abspath(directory))
    if directories:
        env["PYTHONPATH"] = os.pathsep.join(directories + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def profile(handler, events, cold_starts, per_cold_start, options):
    """Profiles `handler`; returns the profile document."""
    started_at = time.time()
    records = []
    errors = []
    environment = None
    with tempfile.TemporaryDirectory(prefix="coldspy-") as workdir:
        for index in range(cold_starts):
            if options.progress:
                print("coldspy: cold start %d of %d" % (index + 1, cold_starts), file=sys.stderr, flush=True)
            result, status = run_cold_start(index, handler, events_for(index, per_cold_start, events),
                                            options, workdir)
            setup_error = result.get("setupError") if result is not None else None
            if setup_error is not None and setup_error["kind"] != "agent":
                raise (UsageError if setup_error["kind"] == "handler" else RunError)(setup_error["message"])
            if setup_error is not None:
                errors.append("cold start %d: %s; left out" % (index, setup_error["message"]))
                continue
            if result is None or result.get("record") is None:
                errors.append("cold start %d: the interpreter exited with status %d before reporting; "
                              "left out" % (index, status))
                continue
            if status != 0:
                errors.append((len(records), "the handler ended the interpreter with exit status %d" % status))
            records.append(result["record"])
            environment = environment or result["environment"]
    if not records:
        raise RunError("no cold start produced a record: %s" % "; ".join(errors))
    environment = dict(environment, **{"lambda": False, "memoryLimitMb": None})
    app = {"handler": handler.text, "root": handler.root, "name": options.name}
    settings = {"sampleIntervalUs": options.interval_us, "clock": options.clock, "coldStarts": cold_starts}
    return document.build(records, app, environment, settings, errors, started_at)


def summary(profile_document, path):
    """A few lines for the terminal."""
    cold_starts = profile_document["coldStarts"]
    invocations = [inv for cs in cold_starts for inv in cs["invocations"]]
    raised = [inv for inv in invocations if inv["outcome"] == "exception"]
    files = profile_document["files"]
    lines = ["coldspy: profiled %s: %d cold starts, %d invocations%s" % (
        profile_document["app"]["handler"], len(cold_starts), len(invocations),
        " (%d raised: %s)" % (len(raised), ", ".join(sorted({inv["exceptionType"] for inv in raised})))
        if raised else "")]
    init = statistics.median(cs["initUs"] for cs in cold_starts) / 1000
    line = "  init median %.1f ms" % init
    if invocations:
        line += ", first invocation median %.1f ms" % (
            statistics.median(cs["invocations"][0]["durationUs"] for cs in cold_starts if cs["invocations"]) / 1000)
    modules = cold_starts[0]["modules"]
    line += "; %d modules imported in cold start 0 (%d during execution)" % (
        len(modules), sum(1 for m in modules if m["phase"] == "execution"))
    lines.append(line)
    compiled = [[m for m in cs["modules"] if m.get("bytecode", {}).get("from") == "source"] for cs in cold_starts]
    if any(compiled):
        lines.append("  compiled from source (no valid .pyc for %s): %d modules in %.1f ms in cold start 0, %d in the"
                     " last (%s)" % (
                         profile_document["environment"].get("cacheTag"), len(compiled[0]),
                         sum(m["bytecode"]["compileUs"] for m in compiled[0]) / 1000, len(compiled[-1]),
                         "the interpreter wrote no caches" if profile_document["environment"].get("dontWriteBytecode")
                         else "caches written by earlier cold starts are read by later ones"))
    # The heaviest statements of the app: imports whose trigger lies under the app root, outside any other
    # import of the app's own modules (their nested imports are inside their cumulative time).
    root = profile_document["app"]["root"].rstrip(os.sep) + os.sep
    by_statement = {}
    for cs in cold_starts:
        app_modules = {m["name"] for m in cs["modules"] if m["file"] is not None and files[m["file"]].startswith(root)}
        for module in cs["modules"]:
            trigger = module["trigger"]
            if trigger is None or not files[trigger["file"]].startswith(root):
                continue
            if module["parent"] is not None and module["parent"] not in app_modules:
                continue
            key = (module["name"], files[trigger["file"]][len(root):], trigger["line"])
            by_statement.setdefault(key, []).append(module["cumulativeUs"])
    heaviest = sorted(by_statement.items(), key=lambda item: -statistics.median(item[1]))
    if heaviest:
        lines.append("  heaviest imports of the app (median cumulative time over the cold starts importing them):")
    for (name, where, line_number), times in heaviest[:5]:
        lines.append("  %8.1f ms  import %s (%s:%d)" % (statistics.median(times) / 1000, name, where, line_number))
    for error in profile_document["errors"]:
        lines.append("  agent note%s: %s" % ("" if error["coldStart"] is None else
                                             " (cold start %d)" % error["coldStart"], error["message"]))
    lines.append("  wrote %s (%d KiB)" % (path, (os.path.getsize(path) + 1023) // 1024))
    return "\n".join(lines)

