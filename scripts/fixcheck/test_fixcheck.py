"""Tests of the fix-checking tools: the all-unused profile and the probe."""
import json
import subprocess
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from all_unused_profile import CHARGE_PREFIX, build  # noqa: E402

PROBE = Path(__file__).resolve().parent / "probe.py"


def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def modules(profile: dict) -> dict:
    files = profile["files"]
    return {m["name"]: (Path(files[m["trigger"]["file"]]).name, m["trigger"]["line"]) if m["trigger"] else None
            for m in profile["coldStarts"][0]["modules"]}


def test_every_start_up_import_is_charged_once_and_function_imports_are_not(tmp_path):
    app = write(tmp_path / "app", {
        "handler.py": "import json\nimport helpers\n\ndef handler(e, c):\n    import decimal\n",
        "helpers.py": "import json\nfrom . import nothing_here\nif True:\n    import fractions\n",
    })
    profile = build(app, [])
    found = modules(profile)
    assert found["handler"] is None  # the handler comes first, imported by the cold start itself
    assert found["json"] == ("handler.py", 1)
    assert found["helpers"] == ("handler.py", 2)
    assert found["fractions"] == ("helpers.py", 4)
    assert "decimal" not in found
    charged = [name for name in found if CHARGE_PREFIX in name]
    assert len(charged) == 1 and charged[0].startswith("json.") and found[charged[0]] == ("helpers.py", 1)
    assert all(not m["moduleUsage"] and not m["invocations"][0]["modulesExecuted"] for m in profile["coldStarts"])


def test_relative_imports_resolve_and_missing_modules_are_left_out(tmp_path):
    app = write(tmp_path / "app", {
        "handler.py": "from pkg.api import run\nimport no_such_module_anywhere\n",
        "pkg/__init__.py": "",
        "pkg/api.py": "from .helper import *\nfrom . import helper\n",
        "pkg/helper.py": "X = 1\n",
    })
    found = modules(build(app, []))
    assert found["pkg.helper"] == ("api.py", 1)
    assert "no_such_module_anywhere" not in found


def test_standard_library_origins_are_hidden_and_third_party_ones_kept(tmp_path):
    write(tmp_path / "site", {"thirdparty.py": "import codecs\n"})
    app = write(tmp_path / "app", {"handler.py": "import json\nimport thirdparty\n"})
    profile = build(app, [str(tmp_path / "site")])
    by_name = {m["name"]: m for m in profile["coldStarts"][0]["modules"]}
    assert by_name["json"]["file"] is None
    assert profile["files"][by_name["thirdparty"]["file"]] == str(tmp_path / "site" / "thirdparty.py")


def probe(app: Path, *arguments: str) -> list:
    result = subprocess.run([sys.executable, "-B", str(PROBE), str(app), *arguments], capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def test_probe_records_the_handler_every_module_and_compile_errors_with_paths_hidden(tmp_path):
    app = write(tmp_path / "app", {
        "handler.py": "def handler(event, context):\n    print('called')\n    return object() if event else 1 / 0\n",
        "broken.py": "def f(:\n",
        "other.py": "raise RuntimeError(__file__)\n",
    })
    outcomes = probe(app, "--event", "{}", "--event", "[1]")
    assert outcomes[0] == ["import handler", "returned 'handler'", ""]
    assert outcomes[1] == ["handler({})", "raised ZeroDivisionError: division by zero", "called\n"]
    assert outcomes[2] == ["handler([1])", "returned <object object at 0x?>", "called\n"]
    assert ["import other", "raised RuntimeError: <app>/app/other.py", ""] in outcomes
    assert outcomes[-1][0] == "compile" and outcomes[-1][1].startswith("broken.py: SyntaxError")


def test_probe_runs_the_probe_script_with_the_extra_path(tmp_path):
    write(tmp_path / "site", {"extra.py": "VALUE = 5\n"})
    write(tmp_path, {"probe.py": "import extra\nprint(extra.VALUE)\n"})
    app = write(tmp_path / "app", {"handler.py": "X = 1\n"})
    outcomes = probe(app, "--probe", str(tmp_path / "probe.py"), "--sys-path", str(tmp_path / "site"))
    assert outcomes[-1] == ["probe", "returned None", "5\n"]
