"""Module-level code that calls into other modules during init: the statement behind an import made inside
a call (`model = loader.load()` -> unpickling -> import), and which modules' functions ran at init."""

import os

from conftest import interpreter_version, line_number, module, profile_app, write_app

APP = {
    "handler.py": """
        import json

        import dc_lib
        import fmt
        import hooks
        import meta_lib
        import twice
        import loader
        import renderer
        import registry
        import scoped
        import unused_mod


        class Settings:
            import class_body_mod


        MODEL = loader.load_model()
        WEIGHTS = loader.crunch()
        BANNER = renderer.render("hi")
        DEEP = loader.deep(12)
        PAIRS = json.loads('{"a": 1}', object_hook=hooks.as_pairs)
        ONCE_MORE = twice.helper()
        TEXT = fmt.render(2)


        def handler(event, context):
            import runtime_mod
            return len(BANNER) + runtime_mod.VALUE
        """,
    # The model class lives in a module nobody imports by name: unpickling imports it.
    "loader.py": """
        import pickle

        DATA = b"cmodel_class\\nModel\\n(tR."  # protocol 0: model_class.Model()


        def load_model():
            return pickle.loads(DATA)


        def crunch():
            # ~50 ms of CPU: sampled at init whatever the interpreter
            total = 0
            for i in range(2000000):
                total += i & 7
            return total


        def deep(levels):
            if levels:
                return deep(levels - 1)
            import deep_mod
            return deep_mod.VALUE
        """,
    "model_class.py": "class Model:\n    pass\n",
    "renderer.py": """
        def render(text):
            import markup_mod
            return markup_mod.wrap(text)
        """,
    "markup_mod.py": "def wrap(text):\n    return '<p>' + text + '</p>'\n",
    # Its functions run only from its own module body: not use by another module.
    "registry.py": """
        NAMES = []


        def register(name):
            NAMES.append(name)


        def _setup():
            register("own")


        _setup()
        """,
    "unused_mod.py": "def never():\n    return 1\n\n\nnever()\n",
    # Called by json's decoder, which the handler's body called: the handler's use, not json's.
    "hooks.py": "def as_pairs(obj):\n    return sorted(obj.items())\n",
    # Its own generator, entered through contextlib's __enter__ from its own body: no other module's use.
    "scoped.py": """
        import contextlib


        @contextlib.contextmanager
        def _section():
            yield


        with _section():
            READY = True
        """,
    # Its own body calls its function first; the handler's body then calls it too: the handler's use.
    "twice.py": "def helper():\n    return 1\n\n\nOWN = helper()\n",
    # The same through functools.singledispatch: its own body first, then fmt, which the handler called.
    "lib_sd.py": """
        import functools


        @functools.singledispatch
        def to_text(x):
            return str(x)


        DEFAULT = to_text(1)
        """,
    "fmt.py": "import lib_sd\n\n\ndef render(x):\n    return lib_sd.to_text(x)\n",
    # A dataclass's __init__ (code made by exec) calls the default factory of the library's own body's
    # instance: the library's body called it, not code without a module.
    "dc_lib/__init__.py": """
        import dataclasses

        from dc_lib import factories


        @dataclasses.dataclass
        class Config:
            items: list = dataclasses.field(default_factory=factories.make_items)


        DEFAULT = Config()
        """,
    "dc_lib/factories.py": "def make_items():\n    return []\n",
    # Another package (six.add_metaclass-like) calls back into the library while the library is imported:
    # the library's own doing.
    "meta_lib/__init__.py": "import adder\n\nfrom meta_lib import kinds\n\nBase = adder.with_hook(kinds.hook)\n",
    "meta_lib/kinds.py": "def hook():\n    return 1\n",
    "adder.py": "def with_hook(function):\n    function()\n    return object\n",
    "deep_mod.py": "VALUE = 1\n",
    "class_body_mod.py": "VALUE = 2\n",
    "runtime_mod.py": "VALUE = 3\n",
    "events/a.json": {},
}


def chain_of(profile, statement):
    return [(os.path.basename(profile["files"][call["file"]]), call["line"], call["function"])
            for call in statement["chain"]]


def test_an_import_inside_a_call_records_the_module_level_statement(tmp_path, python):
    root = write_app(tmp_path, APP)
    handler, loader, renderer = (os.path.join(root, name) for name in ("handler.py", "loader.py", "renderer.py"))
    profile = profile_app(root, python=python, extra=["--cold-starts", "1", "--invocations", "1"])
    files = profile["files"]
    cold_start = profile["coldStarts"][0]

    # The C unpickler imports the class's module: the innermost Python frame is load_model.
    model = module(cold_start, "model_class")
    assert (files[model["trigger"]["file"]], model["trigger"]["line"]) == (loader, line_number(loader, "pickle.loads"))
    statement = model["statement"]
    assert (files[statement["file"]], statement["line"]) == (handler, line_number(handler, "MODEL = "))
    assert chain_of(profile, statement) == [("loader.py", line_number(loader, "pickle.loads"), "load_model")]
    assert statement["omittedFrames"] == 0

    markup = module(cold_start, "markup_mod")["statement"]
    assert (files[markup["file"]], markup["line"]) == (handler, line_number(handler, "BANNER = "))
    assert chain_of(profile, markup) == [("renderer.py", line_number(renderer, "import markup_mod"), "render")]

    # 13 nested calls: the 4 outermost and the 4 innermost frames are kept, the trigger last.
    deep = module(cold_start, "deep_mod")["statement"]
    assert (files[deep["file"]], deep["line"]) == (handler, line_number(handler, "DEEP = "))
    assert len(deep["chain"]) == 8 and deep["omittedFrames"] == 5
    assert chain_of(profile, deep)[-1] == ("loader.py", line_number(loader, "import deep_mod"), "deep")
    assert chain_of(profile, deep)[0] == ("loader.py", line_number(loader, "return deep(levels - 1)"), "deep")

    # A class body is no module body: the statement is the class statement.
    in_class = module(cold_start, "class_body_mod")
    assert (files[in_class["statement"]["file"]], in_class["statement"]["line"]) == (
        handler, line_number(handler, "class Settings"))

    # Import statements run in module bodies, and imports at run time are not init: no statement.
    for name in ("loader", "pickle", "renderer", "runtime_mod"):
        assert "statement" not in module(cold_start, name), name


def test_functions_called_from_another_module_at_init_are_used_at_init(tmp_path, python):
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "1"])
    for cold_start in profile["coldStarts"]:
        usage = cold_start["moduleUsage"]
        if interpreter_version(python) < (3, 12):
            assert profile["settings"]["usageSignal"] == "setprofile"
            assert not any("usedAtInit" in entry or "initCallers" in entry for entry in usage.values())
            continue
        assert profile["settings"]["usageSignal"] == "sys.monitoring"
        used = {name: entry["initCallers"] for name, entry in usage.items() if entry["usedAtInit"]}
        assert used["loader"] == ["handler"]
        assert used["renderer"] == ["handler"]
        assert used["markup_mod"] == ["renderer"]
        # The standard library only passed the call on: the caller is the first frame above it.
        assert used["hooks"] == ["handler"]
        # Called by its own body first, then by another module: that call is still seen.
        assert used["twice"] == ["handler"]
        assert used["lib_sd"] == ["fmt"]
        # Through exec'd code (a dataclass's __init__) and through another package, back into the library
        # being imported: the library's own use.
        assert used["dc_lib.factories"] == ["dc_lib"]
        assert used["meta_lib.kinds"] == ["meta_lib"]
        assert used["adder"] == ["meta_lib"]
        # Only its own module body called it (scoped: through contextlib), or nobody did, or only its body ran:
        # not used at init.
        for name in ("registry", "scoped", "unused_mod", "model_class", "deep_mod", "class_body_mod"):
            assert usage[name]["usedAtInit"] is False, name
            assert "initCallers" not in usage[name]
        # The execution phase is still told apart: the handler's body ran at init, its function at run time.
        assert usage["handler"]["executed"] is True and usage["runtime_mod"]["executed"] is False


def test_import_phase_samples_of_functions_called_from_another_module(tmp_path, python):
    """The sampled counterpart, on every interpreter: init's samples inside loader.crunch(), called by the
    handler module's body, count for loader; modules whose code only their own body ran have none."""
    root = write_app(tmp_path, APP)
    profile = profile_app(root, python=python, extra=["--cold-starts", "2", "--invocations", "1"])
    for cold_start in profile["coldStarts"]:
        usage = cold_start["moduleUsage"]
        assert usage["loader"]["importPhaseCallSamples"] > 0
        for name in ("registry", "unused_mod", "handler"):
            assert "importPhaseCallSamples" not in usage[name], name
