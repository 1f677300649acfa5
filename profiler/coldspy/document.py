"""Assembles the profile document (docs/profile-format.md, schema version 1) and writes it atomically.

Agents produce one record per cold start with file paths as strings (coldspy.agent.Agent.snapshot); this
module interns the paths into the `files` table and merges the calling-context trees of all cold starts.
"""

import json
import os
import sys
import time

from coldspy import AGENT_NAME, __version__

FORMAT = "coldspy-profile"
SCHEMA_VERSION = 1


class _Files:
    def __init__(self):
        self.paths = []
        self._index = {}

    def index(self, path):
        if path is None:
            return None
        found = self._index.get(path)
        if found is None:
            found = self._index[path] = len(self.paths)
            self.paths.append(path)
        return found


class _CallTree:
    def __init__(self, files):
        self._files = files
        self.frames = []
        self._frame_index = {}
        self.nodes = [[-1, -1, 0, 0]]
        self._node_index = {}

    def merge(self, tree):
        frame_map = []
        for filename, function, line, module in tree["frames"]:
            key = (self._files.index(filename), function, line, module)
            index = self._frame_index.get(key)
            if index is None:
                index = self._frame_index[key] = len(self.frames)
                self.frames.append(list(key))
            frame_map.append(index)
        node_map = [0]
        root = tree["nodes"][0]
        self.nodes[0][2] += root[2]
        self.nodes[0][3] += root[3]
        for parent, frame, import_samples, execution_samples in tree["nodes"][1:]:
            key = (node_map[parent], frame_map[frame])
            index = self._node_index.get(key)
            if index is None:
                index = self._node_index[key] = len(self.nodes)
                self.nodes.append([key[0], key[1], 0, 0])
            self.nodes[index][2] += import_samples
            self.nodes[index][3] += execution_samples
            node_map.append(index)


def _statement(statement, files):
    filename, line, chain, omitted = statement
    return {"file": files.index(filename), "line": line,
            "chain": [{"file": files.index(call_file), "line": call_line, "function": function}
                      for call_file, call_line, function in chain],
            "omittedFrames": omitted}


def _cold_start(index, record, files):
    modules = []
    for module in record["modules"]:
        trigger = module["trigger"]
        entry = dict(module, file=files.index(module["file"]),
                     trigger=None if trigger is None else {"file": files.index(trigger[0]), "line": trigger[1]})
        if "statement" in module:
            entry["statement"] = _statement(module["statement"], files)
        modules.append(entry)
    cold_start = {
        "index": index,
        "initUs": record["initUs"],
        "initPeakRssBytes": record["initPeakRssBytes"],
        "samples": record["samples"],
        "agentUs": record["agentUs"],
        **({"gcUs": record["gcUs"]} if "gcUs" in record else {}),
        "modules": modules,
        "invocations": record["invocations"],
        "moduleUsage": record["moduleUsage"],
    }
    if record.get("invocationsNotListed"):
        cold_start["invocationsNotListed"] = record["invocationsNotListed"]
    return cold_start


def build(records, app, environment, settings, errors=(), started_at=None):
    """The profile of `records` (one per cold start, in order).

    `app` = {handler, root, name}; `environment` = interpreter facts (see environment_facts);
    `settings` = {sampleIntervalUs, clock, coldStarts}; usageSignal and memoryMethod come from the records.
    `errors` are run-level messages, or (coldStart, message) pairs.
    """
    files = _Files()
    tree = _CallTree(files)
    cold_starts = []
    all_errors = []
    for error in errors:
        cold_start, message = error if isinstance(error, tuple) else (None, error)
        all_errors.append({"coldStart": cold_start, "message": message})
    for index, record in enumerate(records):
        cold_starts.append(_cold_start(index, record, files))
        tree.merge(record["callTree"])
        all_errors.extend({"coldStart": index, "message": message} for message in record["errors"])
    usage_signal = records[0]["usageSignal"] if records else "none"
    signals = sorted({record["usageSignal"] for record in records})
    if len(signals) > 1:
        # One signal names the whole profile: a cold start whose exact signal failed (it fell back to "none")
        # must not pass for an exact one whose modules did not run. Samples are what all of them have.
        usage_signal = "none"
        all_errors.append({"coldStart": None, "message": "the cold starts recorded different usage signals (%s):"
                           " usage comes from samples only" % ", ".join(signals)})
        for cold_start in cold_starts:
            for entry in cold_start["moduleUsage"].values():
                entry["executed"] = False
                for exact_only in ("executedUnknown", "usedAtInit", "initCallers"):
                    entry.pop(exact_only, None)
            for invocation in cold_start["invocations"]:
                invocation["modulesExecuted"] = []
    memory_method = records[0]["memoryMethod"] if records else "none"
    if started_at is None:
        started_at = time.time()
    return {
        "format": FORMAT,
        "schemaVersion": SCHEMA_VERSION,
        "agent": {"name": AGENT_NAME, "version": __version__},
        "app": dict(app),
        "environment": dict(environment),
        "settings": {
            "sampleIntervalUs": settings["sampleIntervalUs"],
            "clock": settings["clock"],
            "usageSignal": usage_signal,
            "memoryMethod": memory_method,
            "coldStarts": settings["coldStarts"],
        },
        "startedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started_at)),
        "files": files.paths,
        "coldStarts": cold_starts,
        "callTree": {"frames": tree.frames, "nodes": tree.nodes},
        "errors": all_errors,
    }


def environment_facts(in_lambda=False, memory_limit_mb=None, initialization_type=None):
    """Facts about this interpreter (the runner asks the child for them: they describe the profiled one).

    Read from os.uname() and os.confstr(), not the platform module: platform.platform() reads the interpreter's
    executable to find the C library version, tens of milliseconds inside a Lambda invocation."""
    uname = getattr(os, "uname", None)
    if uname is None:  # not POSIX
        import platform

        system = platform.platform()
        machine = platform.machine()
    else:
        names = uname()
        system = "%s-%s-%s" % (names.sysname, names.release, names.machine)
        machine = names.machine
        try:
            libc = os.confstr("CS_GNU_LIBC_VERSION")  # "glibc 2.36"
        except (ValueError, OSError):
            libc = None
        if libc:
            system += "-with-" + libc.replace(" ", "")
    implementation = sys.implementation.name
    return {
        "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
        "implementation": {"cpython": "CPython", "pypy": "PyPy"}.get(implementation, implementation),
        "platform": system,
        "machine": machine,
        "lambda": in_lambda,
        "memoryLimitMb": memory_limit_mb,
        "cacheTag": sys.implementation.cache_tag,
        "dontWriteBytecode": bool(sys.dont_write_bytecode),
        "pycachePrefix": getattr(sys, "pycache_prefix", None),
        **({"initializationType": initialization_type} if initialization_type else {}),
    }


def write_atomically(path, document):
    """Writes JSON to a temporary file in the target directory, then renames it over `path`.

    json.dumps, not json.dump: only the one-shot encoder is the C one (json.dump iterates in Python, ~5x
    slower). The temporary file is made with os.open (tempfile would import random, shutil and more into a
    Lambda environment)."""
    data = json.dumps(document, separators=(",", ":")).encode("utf-8") + b"\n"
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, ".coldspy-%s.tmp" % os.urandom(6).hex())
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
