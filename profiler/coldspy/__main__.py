"""Command line: `python3 -m coldspy run path/handler.py:handler --event E.json --cold-starts N -o out.json`."""

import argparse
import os
import sys

from coldspy import __version__
from coldspy.agent import USAGE_SIGNALS


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %s" % text)
    return value


def _interval(text):
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative, got %s" % text)
    return value


def parser():
    main = argparse.ArgumentParser(prog="coldspy", description="ColdSpy profiler agent")
    main.add_argument("--version", action="version", version="coldspy %s" % __version__)
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    run = commands.add_parser(
        "run", help="profile a handler through N cold starts",
        description="Profile a handler through N cold starts, each a fresh interpreter. The interpreters "
                    "inherit this command's environment variables (add or override some with --env and "
                    "--env-file) and run in the handler's directory (--cwd to change it), with that "
                    "directory first on sys.path (--pythonpath adds more, e.g. a Lambda layer's python/).")
    run.add_argument("handler", help="path/to/handler.py:function")
    run.add_argument("--event", action="append", default=[], metavar="PATH",
                     help="event JSON file, or a directory of *.json events (repeatable)")
    run.add_argument("--cold-starts", type=_positive_int, default=10, metavar="N", help="default 10")
    run.add_argument("--invocations", type=_positive_int, default=3, metavar="K",
                     help="handler calls per cold start, drawn round-robin from the events (default 3)")
    run.add_argument("--interval-ms", type=_interval, default=1.0, metavar="MS",
                     help="sampling interval in milliseconds, 0 turns sampling off (default 1)")
    run.add_argument("--clock", choices=("wall", "cpu"), default="cpu",
                     help="sampling clock: cpu (ITIMER_PROF, default) or wall (ITIMER_REAL, also sees waits)")
    run.add_argument("--usage-signal",
                     choices=USAGE_SIGNALS,
                     default="exact",
                     help="the 'module code ran' signal: exact (default) = sys.monitoring on 3.12+, setprofile"
                          " before (slows the handler's calls there, not the init phase; sees each invocation);"
                          " code-counters = 3.9-3.11's own run counters (nothing per call, a few ms once; sees"
                          " each cold start's invocations together); auto = sys.monitoring on 3.12+, none before"
                          " (the cheapest; the Lambda default)")
    run.add_argument("--python", default=sys.executable, metavar="PATH",
                     help="interpreter to profile in (default: the one running coldspy)")
    run.add_argument("--name", help="app name (default: the handler's directory name)")
    run.add_argument("--memory-mb", type=_positive_int, default=128, help="context.memory_limit_in_mb (default 128)")
    run.add_argument("--timeout-s", type=_positive_int, default=900,
                     help="context.get_remaining_time_in_millis() counts down from this (default 900)")
    run.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                     help="environment variable for the profiled interpreters (repeatable; wins over --env-file;"
                          " otherwise this command's environment is inherited as it is)")
    run.add_argument("--env-file", action="append", default=[], metavar="PATH",
                     help="file of NAME=VALUE lines (# comments, optional 'export ', quotes removed) added to"
                          " the inherited environment (repeatable, later files win)")
    run.add_argument("--cwd", metavar="DIR",
                     help="working directory of the profiled interpreters (default: the handler's directory)")
    run.add_argument("--pythonpath", action="append", default=[], metavar="DIRS",
                     help="directories (%s-separated, repeatable) searched after the handler's directory and"
                          " before an inherited PYTHONPATH" % os.pathsep)
    run.add_argument("--progress", action="store_true",
                     help="print 'coldspy: cold start K of N' on stderr as each cold start begins (for editors)")
    run.add_argument("-o", "--output", metavar="PATH",
                     help="profile to write (default .coldspy/profiles/<name>.json)")
    return main


def main(argv=None):
    from coldspy import document, runner

    arguments = parser().parse_args(argv)
    try:
        handler = runner.Handler(arguments.handler)
        if not arguments.event:
            raise runner.UsageError("give at least one --event file or directory")
        events = runner.load_events(arguments.event)
        if not (os.path.isfile(arguments.python) and os.access(arguments.python, os.X_OK)):
            raise runner.UsageError("interpreter not found or not executable: %s" % arguments.python)
        name = arguments.name or os.path.basename(handler.root) or "app"
        output = arguments.output or os.path.join(".coldspy", "profiles", name + ".json")
        if arguments.cwd is not None and not os.path.isdir(arguments.cwd):
            raise runner.UsageError("--cwd: %s is not a directory" % arguments.cwd)
        env = runner.child_environment(os.environ, arguments.env_file, arguments.env, arguments.pythonpath)
        options = runner.Options(arguments.python, int(round(arguments.interval_ms * 1000)), arguments.clock,
                                 arguments.usage_signal, name, arguments.memory_mb, arguments.timeout_s,
                                 env, arguments.cwd and os.path.abspath(arguments.cwd), arguments.progress)
        profile = runner.profile(handler, events, arguments.cold_starts, arguments.invocations, options)
        document.write_atomically(output, profile)
    except runner.UsageError as exc:
        print("coldspy: error: %s" % exc, file=sys.stderr)
        return 2
    except runner.RunError as exc:
        print("coldspy: error: %s" % exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print("coldspy: error: %s: %s" % (exc.filename or "", exc.strerror or exc), file=sys.stderr)
        return 1
    print(runner.summary(profile, output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
