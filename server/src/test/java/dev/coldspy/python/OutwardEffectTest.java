package dev.coldspy.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.coldspy.text.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonModule#outwardEffect()}: a library's source in, the 1-based line of the first statement that
 * acts beyond the module when it is imported out (null: importing it only defines things), and
 * {@link ScopeModel#identifiers(String)}.
 */
class OutwardEffectTest {

  private static Integer effectLine(String source) {
    PythonModule module = PythonModule.parse(source);
    Span effect = module.outwardEffect();
    return effect == null ? null : module.text().profileLineOfOffset(effect.start());
  }

  @Test
  void definitionsAndTheModulesOwnStateDoNotAct() {
    assertNull(effectLine("""
        \"\"\"A library.\"\"\"
        import re
        import collections.abc
        PATTERN = re.compile("a+")
        _registry = {}
        _registry.update(a=1)
        _registry["b"] = 2
        __all__ = ["Thing"]
        class Thing:
            kind = "thing"
        collections.abc.Sized.register(Thing)
        def helper(x):
            print(x)
        try:
            from math import tau
        except ImportError:
            tau = 6.28
        """));
  }

  @Test
  void importsByNameWarningsAndTheLibrarysOwnLoggerDoNotAct() {
    String source = """
        import importlib
        import logging
        for dependency in ("numpy", "pytz"):
            __import__(dependency)
        importlib.import_module("json")
        import warnings
        warnings.warn("mylib 2 drops Python 3.9", FutureWarning)
        logging.getLogger(__name__).addHandler(logging.NullHandler())
        logging.getLogger("mylib.io").setLevel(logging.INFO)
        """;
    Span effect = PythonModule.parse(source, new ModuleIdentity("mylib", true)).outwardEffect();
    assertNull(effect);
    PythonModule other = PythonModule.parse("import logging\nlogging.getLogger('app').setLevel(40)\n",
        new ModuleIdentity("mylib", true));
    assertEquals(2, other.text().profileLineOfOffset(other.outwardEffect().start()));
  }

  @Test
  void droppedCallsOnOtherObjectsAct() {
    assertEquals(3, effectLine("import codecs\n_search = None\ncodecs.register(_search)\n"));
    assertEquals(2, effectLine("from ._register import register\nregister()\n"));
    assertEquals(2, effectLine("import sys\nsys.path.append('vendor')\n"));
    assertEquals(1, effectLine("print('loaded')\n"));
    assertEquals(3, effectLine("import codecs\ndef _search(name): return None\ncodecs.register(_search)\n"));
  }

  @Test
  void assignmentsToOtherObjectsAct() {
    assertEquals(2, effectLine("import json\njson.dumps = None\n"));
    assertEquals(2, effectLine("import os\nos.environ['TZ'] = 'UTC'\n"));
    assertEquals(2, effectLine("import builtins\ndel builtins.input\n"));
  }

  @Test
  void effectsInsideTopLevelBlocksCountButNotInsideDefinitions() {
    assertEquals(3, effectLine("import sys, warnings\nif sys.version_info < (4,):\n    warnings.simplefilter('ignore')\n"));
    assertEquals(3, effectLine("import mimetypes\nfor ext in ('.a', '.b'):\n    mimetypes.add_type('x/y', ext)\n"));
    assertNull(effectLine("import warnings\ndef quiet():\n    warnings.simplefilter('ignore')\n"));
    assertNull(effectLine("if __name__ == '__main__':\n    print('run as a script')\n"));
  }

  @Test
  void settingNamesOnTheModuleItselfDefinesThem() {
    // PIL.Image: its enums' members become module constants
    assertNull(effectLine("""
        import sys
        from enum import IntEnum
        class Dither(IntEnum):
            NONE = 0
        module = sys.modules[__name__]
        for enum in (Dither,):
            for item in enum:
                setattr(module, item.name, item.value)
        """));
    assertEquals(3, effectLine("import json\nimport sys\nsetattr(json, 'dumps', None)\n"));
  }

  @Test
  void callingAnOwnFunctionActsOnlyWhenItsBodyDoes() {
    // requests: a version check that asserts and warns
    assertNull(effectLine("""
        import warnings
        import urllib3
        def check_compatibility(urllib3_version, chardet_version):
            urllib3_version = urllib3_version.split(".")
            assert urllib3_version != ["dev"]
            if len(urllib3_version) == 2:
                urllib3_version.append("0")
            major, minor = int(urllib3_version[0]), int(urllib3_version[1])
            if chardet_version:
                assert major >= 1
            else:
                warnings.warn("no character detection")
            return _parts(urllib3_version)
        def _parts(version):
            return len(version) and check_compatibility(version, None)
        try:
            check_compatibility(urllib3.__version__, None)
        except (AssertionError, ValueError):
            warnings.warn("unsupported urllib3")
        """));
    assertEquals(5, effectLine("""
        import sys
        def _vendor(path):
            sys.path.insert(0, path)
            return path
        _vendor("vendored")
        """));
    assertEquals(5, effectLine("""
        import codecs
        def _install(search):
            return codecs.register(search)
        _SEARCH = None
        _install(_SEARCH)
        """));
    // a decorator may register the function or replace it: its call is not read
    assertEquals(5, effectLine("import functools\n@functools.lru_cache\ndef _load():\n    return 1\n_load()\n"));
  }

  @Test
  void identifiersFindNamesAndAttributesButNotStringsOrComments() {
    PythonModule module = PythonModule.parse(
        "import typing\n# get_type_hints\nx = 'get_type_hints'\nhints = typing.get_type_hints(f)\n"
            + "f.__annotations__\n");
    assertEquals(List.of(4), module.scopes().identifiers("get_type_hints").stream()
        .map(s -> module.text().profileLineOfOffset(s.start())).toList());
    assertEquals(1, module.scopes().identifiers("__annotations__").size());
  }
}
