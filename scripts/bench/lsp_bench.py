#!/usr/bin/env python3
"""Language-server benchmarks for docs/benchmarks.md (## Language server).

Runs the packaged server (server/target/coldspy.jar serve) as an editor would, over stdio, and measures:
  startup   process start -> initialize result, plain JVM and with an AppCDS archive (median of N runs)
  didopen   didOpen -> publishDiagnostics for a 2,000-line file with a 1M-sample profile (p50/p90 after warm-up),
            each time with a text that differs from the file on disk (a new comment line)
  didopen-unchanged  the same, opening the file exactly as it is on disk (what opening a file usually is)
  didchange didChange -> refreshed publishDiagnostics (includes the server's debounce delay)
  memory    resident memory of the server with 50 open files

Usage: scripts/bench/lsp_bench.py [startup|didopen|didopen-unchanged|didchange|memory|all] [--runs N]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "server" / "target" / "coldspy.jar"
sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic_profile  # noqa: E402


class Server:
    """One server process and a minimal JSON-RPC client for it."""

    def __init__(self, jvm_args=(), cwd=None):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            ["java", *jvm_args, "-jar", str(JAR), "serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = json.loads(out.read(length))
            self.messages.put((time.perf_counter(), body))
            if "id" in body and "method" in body:  # a request from the server: answer it
                result = [{"debounceMs": 0}] if body["method"] == "workspace/configuration" else None
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": result})

    def _send(self, message):
        data = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait_for(self, predicate, timeout=60):
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.01, deadline - time.perf_counter()))
            if predicate(message):
                return at, message

    def initialize(self, root=None):
        capabilities = {"workspace": {"configuration": True}, "window": {"workDoneProgress": True}}
        rid = self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": root.as_uri() if root else None,
            "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}] if root else None,
            "capabilities": capabilities})
        at, _ = self.wait_for(lambda m: m.get("id") == rid)
        self.notify("initialized", {})
        return at - self.started

    def cpu_ms(self):
        """User + system CPU time of the server process so far (less sensitive to a loaded machine)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def rss_kib(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return -1

    def stop(self):
        rid = self.request("shutdown", None)
        self.wait_for(lambda m: m.get("id") == rid)
        self.notify("exit", None)
        self.proc.wait(timeout=10)


def bench_startup(runs):
    def measure(jvm_args):
        times, cpu = [], []
        for _ in range(runs):
            server = Server(jvm_args)
            times.append(server.initialize() * 1000)
            cpu.append(server.cpu_ms())
            server.stop()
        return statistics.median(times), statistics.median(cpu)

    archive = Path(tempfile.mkdtemp()) / "coldspy-lsp.jsa"
    training = Server([f"-XX:ArchiveClassesAtExit={archive}"])
    training.initialize()
    training.stop()
    rows = [
        ("plain JVM", measure([])),
        ("-XX:TieredStopAtLevel=1", measure(["-XX:TieredStopAtLevel=1"])),
        ("AppCDS", measure([f"-XX:SharedArchiveFile={archive}"])),
        ("AppCDS + TieredStopAtLevel=1", measure([f"-XX:SharedArchiveFile={archive}", "-XX:TieredStopAtLevel=1"])),
    ]
    shutil.rmtree(archive.parent, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, (median, cpu) in rows:
        print(f"startup  {name:32s} median {median:7.1f} ms wall, {cpu:7.1f} ms CPU  ({runs} runs)")


def workspace_with_profile(lines, samples):
    root = Path(tempfile.mkdtemp(prefix="coldspy-bench-"))
    source, profile = synthetic_profile.build(root, lines=lines, samples=samples)
    profiles = root / ".coldspy" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "bench.json").write_text(json.dumps(profile))
    return root, source


def diagnostics_for(uri):
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri


def bench_didopen(runs, unchanged=False):
    root, source = workspace_with_profile(2000, 1_000_000)
    server = Server(cwd=root)
    server.initialize(root)
    uri = source.as_uri()
    text = source.read_text()
    server.wait_for(diagnostics_for(uri), timeout=120)  # the workspace-wide pass
    times = []
    for i in range(20 + runs):
        sent = time.perf_counter()
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": i + 1, "text": text if unchanged else text + f"# {i}\n"}})
        at, message = server.wait_for(lambda m: diagnostics_for(uri)(m) and m["params"].get("version") == i + 1)
        if i >= 20:
            times.append((at - sent) * 1000)
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    server.stop()
    count = len(message["params"]["diagnostics"])
    times.sort()
    print(f"didOpen{' (text as on disk)' if unchanged else ''}->first publishDiagnostics  2,000 lines, 1M samples, {count} diagnostics: "
          f"p50 {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms ({runs} runs after 20 warm-up)")
    shutil.rmtree(root, ignore_errors=True)


def bench_didchange(runs):
    root, source = workspace_with_profile(2000, 1_000_000)
    server = Server(cwd=root)
    server.initialize(root)
    uri = source.as_uri()
    text = source.read_text()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    server.wait_for(lambda m: diagnostics_for(uri)(m) and m["params"].get("version") == 1, timeout=120)
    times = []
    for i in range(2, 22 + runs):
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i},
                                                 "contentChanges": [{"text": f"# edit {i}\n" + text}]})
        at, _ = server.wait_for(lambda m: diagnostics_for(uri)(m) and m["params"].get("version") == i)
        if i >= 22:
            times.append((at - sent) * 1000)
    server.stop()
    times.sort()
    print(f"didChange->first publishDiagnostics  2,000 lines, 1M samples (debounce 0 ms): "
          f"p50 {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms ({runs} runs after 20 warm-up)")
    shutil.rmtree(root, ignore_errors=True)


def bench_memory(_runs):
    root, source = workspace_with_profile(2000, 1_000_000)
    server = Server(cwd=root)
    server.initialize(root)
    text = source.read_text()
    before = server.rss_kib()
    for i in range(50):
        copy = root / f"module_{i}.py"
        copy.write_text(text)
        uri = copy.as_uri()
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        server.wait_for(diagnostics_for(uri), timeout=120)
    after = server.rss_kib()
    server.stop()
    print(f"memory  RSS after initialize + profile: {before / 1024:.0f} MiB; with 50 open 2,000-line files: {after / 1024:.0f} MiB")
    shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="?", default="all", choices=["startup", "didopen", "didopen-unchanged", "didchange", "memory", "all"])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not JAR.exists():
        sys.exit(f"{JAR} is missing: build it with 'mvn -pl server package' first")
    benches = {"startup": bench_startup, "didopen": bench_didopen,
               "didopen-unchanged": lambda runs: bench_didopen(runs, unchanged=True),
               "didchange": bench_didchange, "memory": bench_memory}
    for name, bench in benches.items():
        if args.what in (name, "all"):
            bench(args.runs)


if __name__ == "__main__":
    main()
