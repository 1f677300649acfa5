"""One Lambda execution environment for profiler/bench/lambda_mode.py, timed as the runtime and the caller see it.

    python lambda_driver.py SPEC.json RESULT.json

Does what the AWS Lambda Python runtime does around a handler: puts $LAMBDA_TASK_ROOT first on sys.path,
imports the module named by $_HANDLER with importlib (with the exec wrapper's setting that is
coldspy.lambda_entry, which imports the real handler under the agent), looks the function up, then calls it
once per event. Before that it imports the modules the runtime has loaded when it imports a handler (the
spec's runtimeModules: coldspy.context.LAMBDA_RUNTIME_MODULES, which the local runner loads too; the driver
cannot import coldspy itself, as the side without the agent must not load it), so that a handler's `import
logging` costs here what it costs in Lambda: nothing. Events are decoded before init too.

Lambda's Extensions API is served by a process of its own (extensions_api.py; in Lambda it is outside the
function's process too), at AWS_LAMBDA_RUNTIME_API. When an extension registered during init, each
invocation is run as Lambda runs it: the extension gets an INVOKE event as the handler starts; the
**response** is there when the handler returns; the environment takes its next request only once the
extension has asked for its next event, so the time from the response to that request is **post-response**
work (billed, not felt by the caller), and the next invocation never overlaps it.

Both sides make the runtime's round trips to the API around each invocation (its request for the next event,
its posting of the response), as Lambda's runtime does with or without extensions.

Writes {initWallUs, initCpuUs (the handler's import: what the runtime times as the function's init),
initProcessCpuUs (the whole process from its start to the end of Lambda's init phase, which also waits for a
registered extension to ask for its first event: the interpreter's start, the runtime's own imports, the
handler's import, the extension's registration), invocationWallUs: [...], postResponseWallUs: [...] (empty
without an extension), extension (whether the agent's extension registered), cpus} to RESULT.json; stdout and
stderr stay the handler's. SPEC.json: {runtimeModules: [names], events: [paths], invocations, gapMs, evictKiB,
pin, exit, mirror, gc};
`pin` ({function: CPU, api: CPU}) keeps the function's process, all its threads, on one CPU and the API's
process on another: a function of up to 1,769 MB has one vCPU's worth of CPU time, and a scheduler free to
move either process between two CPUs adds noise to both sides (the result's `cpus` says where they were);
`evictKiB` makes the driver's thread write to that much memory after each gap, on both sides, as other work on
the host does to a frozen environment's caches before it thaws (the handler's and the agent's code and data
then come from memory, not from the core's caches); the last three are for
instructions.py, which counts the process's work: `exit` "after-init" ends the process right after init (and
the runtime's query for extensions), "hard" after the last invocation, both without exit handlers; `mirror`
makes a side without an extension take the same driver steps as one with it; `gc` false turns the garbage
collector off on both sides.
"""

import gc
import importlib
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Context:
    def __init__(self, request):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "bench")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = "00000000-0000-4000-8000-%012d" % request
        self.invoked_function_arn = "arn:aws:lambda:local:000000000000:function:bench"
        self.log_group_name = "/aws/lambda/bench"
        self.log_stream_name = "bench"

    def get_remaining_time_in_millis(self):
        return 60000


class StandInApi:
    """The stand-in API process, started with posix_spawn and pipes, not subprocess (whose imports the
    function's init would find loaded). It ends when this process does (its stdin closes then): it must
    outlive the agent's last write at interpreter exit, as Lambda's API does."""

    def __init__(self, cpu=None):
        to_api, self._commands = os.pipe()
        self._answers, from_api = os.pipe()
        self.pid = os.posix_spawn(sys.executable, [sys.executable, os.path.join(HERE, "extensions_api.py")],
                                  os.environ,
                                  file_actions=[(os.POSIX_SPAWN_DUP2, to_api, 0), (os.POSIX_SPAWN_DUP2, from_api, 1)])
        if cpu is not None:
            os.sched_setaffinity(self.pid, {cpu})
        os.close(to_api)
        os.close(from_api)
        self.address = self._line()

    def _line(self):
        line = b""
        while not line.endswith(b"\n"):
            chunk = os.read(self._answers, 100)
            if not chunk:
                raise RuntimeError("the stand-in Extensions API ended")
            line += chunk
        return line.decode().strip()

    def ask(self, command):
        """One command of extensions_api.serve_a_runtime -> its answer."""
        os.write(self._commands, (command + "\n").encode())
        return self._line()


def process_cpu_ns():
    """CPU time of the whole process (all threads, user + system), exact. Not time.process_time(): while a
    process-wide CPU timer is armed (the agent's ITIMER_PROF sampler), Linux answers CLOCK_PROCESS_CPUTIME_ID
    from a total it updates only at scheduler ticks, and that read lagged the true figure by 1.5-2 ms at the
    end of init (getrusage and the thread clock agreed with each other, and with it when no timer ran)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return int((usage.ru_utime + usage.ru_stime) * 1e9)


def main(spec_path, result_path):
    with open(spec_path) as source:
        spec = json.load(source)
    for name in spec["runtimeModules"]:
        importlib.import_module(name)
    events = []
    for path in spec["events"]:
        with open(path) as source:
            events.append(json.load(source))
    if spec.get("gc") is False:
        gc.disable()  # instructions.py: no collection whose timing differs between the sides
    pin = spec.get("pin")
    if pin:
        # Set before the handler's import: every thread the function starts (the agent's extension, a BLAS pool)
        # inherits the main thread's CPU.
        os.sched_setaffinity(0, {pin["function"]})
    api = StandInApi(pin["api"] if pin else None)
    os.environ["AWS_LAMBDA_RUNTIME_API"] = api.address
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    wall = time.perf_counter_ns
    wall_started, cpu_started = wall(), process_cpu_ns()
    handler = getattr(importlib.import_module(module_name.replace("/", ".")), function_name)
    result = {"initWallUs": (wall() - wall_started) // 1000, "initCpuUs": (process_cpu_ns() - cpu_started) // 1000,
              "invocationWallUs": [], "postResponseWallUs": []}
    extension = api.ask("registered") == "1"
    result["extension"] = extension
    if spec.get("exit") == "after-init":
        end(result, result_path)
    if extension:
        api.ask("wait 1")  # init ends when the extension asks for its first event too
    result["initProcessCpuUs"] = process_cpu_ns() // 1000
    evicting = bytearray(spec.get("evictKiB", 0) * 1024)
    for request in range(spec["invocations"]):
        event = events[request % len(events)]
        context = Context(request)
        # The runtime's request for its next event, on both sides: Lambda's runtime waits on the Runtime API
        # between invocations, with or without extensions, so a handler never starts on a core kept busy by
        # back-to-back calls (for a 30 µs handler that alone was a 0.1 ms difference between the sides).
        api.ask("invoke" if extension else "runtime")
        started = wall()
        try:
            handler(event, context)
        except Exception:
            pass  # the runtime reports it and keeps the environment
        responded = wall()
        result["invocationWallUs"].append((responded - started) / 1000)
        api.ask("runtime")  # the runtime posts the response
        # With an extension, the freeze; with `mirror` and none, the same steps (a round trip, a timing), so
        # that what instructions.py counts of the two sides differs by the agent's work alone.
        if extension or spec.get("mirror"):
            api.ask(("wait %d" if extension else "runtime %d") % (request + 2))
            result["postResponseWallUs"].append((wall() - responded) / 1000)
        # The time until the next request arrives: Lambda's environments wait (frozen) between requests, and
        # the next one finds worker threads of the handler's libraries asleep (OpenMP's spin-wait is over).
        time.sleep(spec.get("gapMs", 0) / 1000)
        if evicting:
            evicting[::64] = bytes([request % 255 + 1]) * len(evicting[::64])  # one write per cache line
    result["cpus"] = {"function": sorted(os.sched_getaffinity(0)), "api": sorted(os.sched_getaffinity(api.pid))}
    if spec.get("exit") == "hard":
        end(result, result_path)
    write_result(result, result_path)


def write_result(result, result_path):
    with open(result_path, "w") as out:
        json.dump(result, out)


def end(result, result_path):
    """Writes the result and ends the process at once: no exit handlers (the agent's final write), no
    interpreter teardown, so that a count of the process's work holds only what came before."""
    write_result(result, result_path)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:])
