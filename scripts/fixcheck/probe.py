"""Observes what an app does, so that the same observation before and after `coldspy fix` can be compared.

    python3 scripts/fixcheck/probe.py APP_DIR [--handler FILE:FUNC] [--event JSON ...] [--probe FILE]
                                      [--sys-path DIR ...]

In this one fresh interpreter (run it with PYTHONHASHSEED fixed): imports the handler module and calls the
handler once per event, then imports every other module of the app (sorted by name), then runs the probe
file, if any (a script that imports app modules and prints what it checks). Every step's outcome — the
return value's repr or the exception, and what it printed — is recorded; the JSON list of outcomes goes to
stdout, with the app's directory written as `<app>` and memory addresses as `0x?` so that two copies of
an app at different places give identical text. Then each Python file of the app is compiled; a file that
does not compile is an outcome too. Standard library only.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import re
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from all_unused_profile import module_name, python_files  # noqa: E402

ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


class Recorder:
    def __init__(self, roots: list[str]):
        self.roots = sorted(roots, key=len, reverse=True)
        self.outcomes: list[list[str]] = []

    def clean(self, text: str) -> str:
        for root in self.roots:
            text = text.replace(root, "<app>")
        return ADDRESS.sub("0x?", text)

    def step(self, what: str, action) -> object:
        printed = io.StringIO()
        result = None
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                result = action()
            outcome = "returned " + safe_repr(result)
        except BaseException as error:  # noqa: BLE001 - what the app raises is the observation
            if isinstance(error, KeyboardInterrupt):
                raise
            outcome = "raised " + type(error).__qualname__ + ": " + str(error)
            if os.environ.get("COLDSPY_PROBE_TRACEBACK"):
                outcome += "\n" + "".join(traceback.format_exception(error))
        self.outcomes.append([what, self.clean(outcome), self.clean(printed.getvalue())])
        return result


def safe_repr(value: object) -> str:
    try:
        return repr(value)
    except Exception as error:  # noqa: BLE001 - a broken __repr__ is still an observation
        return f"<repr failed: {type(error).__name__}>"


def run_probe(file: Path) -> None:
    code = compile(file.read_text(encoding="utf-8"), str(file), "exec")
    exec(code, {"__name__": "__probe__", "__file__": str(file)})  # noqa: S102 - the case's own probe


def compile_errors(app: Path) -> list[str]:
    errors = []
    for file in python_files(app):
        try:
            compile(file.read_bytes(), str(file), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            errors.append(f"{file.relative_to(app)}: {type(error).__name__}: {error}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", type=Path)
    parser.add_argument("--handler", default="handler.py:handler")
    parser.add_argument("--event", action="append", default=[], help="a JSON event (repeatable)")
    parser.add_argument("--probe", type=Path, help="a script to run after the imports")
    parser.add_argument("--sys-path", action="append", default=[])
    args = parser.parse_args(argv)
    app = args.app.resolve()
    if not app.is_dir():
        print(f"probe: {args.app}: not a directory", file=sys.stderr)
        return 2
    sys.path[:0] = [str(app)] + [str(Path(p).resolve()) for p in args.sys_path]
    recorder = Recorder([str(app.parent)])
    real_stdout = sys.stdout
    handler_file, _, function = args.handler.partition(":")
    handler_module = None
    if (app / handler_file).exists():
        handler_name = module_name(app, app / handler_file)
        recorder.step("import " + handler_name, lambda: importlib.import_module(handler_name).__name__)
        handler_module = sys.modules.get(handler_name)
        for event in args.event:
            payload = json.loads(event)
            call = getattr(handler_module, function, None)
            if call is None:
                recorder.step(f"handler({event})", lambda: (_ for _ in ()).throw(
                    AttributeError(f"no function {function!r} after importing {handler_name}")))
            else:
                recorder.step(f"handler({event})", lambda: call(payload, None))
    for name in sorted({module_name(app, f) for f in python_files(app)} - {""}):
        recorder.step("import " + name, lambda: importlib.import_module(name).__name__)
    if args.probe is not None:
        recorder.step("probe", lambda: run_probe(args.probe))
    for error in compile_errors(app):
        recorder.outcomes.append(["compile", recorder.clean(error), ""])
    real_stdout.write(json.dumps(recorder.outcomes, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
