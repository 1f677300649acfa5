package dev.coldspy.engine;

import static dev.coldspy.engine.RecordedApp.findings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.engine.RecordedApp.Recorded;
import dev.coldspy.profile.ModuleUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing or deferring an app's import saves only what no code that stays imports too. A profile records only
 * the first import of each module: the first line to import pandas is charged for it, although another module
 * of the app imports it as well and would load it anyway. Found on a FastAPI app whose {@code import pandas}
 * (405 ms, never used there) was also in {@code services/reports.py}: removing the line saved nothing.
 */
class StatementLoadsAnywayTest {
  @TempDir Path root;

  private Analysis analyze(Map<String, String> sources, List<Recorded> recorded) throws IOException {
    return analyze(sources, recorded, List.of("handler.py", "helper.py"), List.of());
  }

  /**
   * @param appFiles the app's files (the rest are libraries)
   * @param calledAtInit app modules whose functions the handler module's body called at init
   */
  private Analysis analyze(Map<String, String> sources, List<Recorded> recorded, List<String> appFiles,
      List<String> calledAtInit) throws IOException {
    return analyze(sources, recorded, appFiles, calledAtInit, Map.of());
  }

  /** @param usedIn library modules whose code ran in the first N of the 10 cold starts' invocations */
  private Analysis analyze(Map<String, String> sources, List<Recorded> recorded, List<String> appFiles,
      List<String> calledAtInit, Map<String, Integer> usedIn) throws IOException {
    return RecordedApp.analyze(root, sources, recorded, appFiles, coldStart -> {
      Map<String, ModuleUsage> usage = new TreeMap<>();
      calledAtInit.forEach(module -> usage.put(module, new ModuleUsage(0, true, true, List.of("handler"))));
      usedIn.forEach((module, count) -> usage.put(module, new ModuleUsage(0, coldStart < count)));
      return usage;
    });
  }

  private static final String HANDLER = """
      import heavy
      import helper


      def handler(event, context):
          return helper.run(event)
      """;

  /** handler.py's `import heavy` loaded heavy (100 ms) first; helper.py, which it imports, is given. */
  private static final List<Recorded> HEAVY_FIRST_BY_HANDLER = List.of(
      new Recorded("heavy", "handler", 100, "heavy/__init__.py", "handler.py", 1),
      new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2));

  private Analysis handlerAndHelper(String helper) throws IOException {
    return analyze(Map.of("handler.py", HANDLER, "helper.py", helper, "heavy/__init__.py", "VALUE = 1\n"),
        HEAVY_FIRST_BY_HANDLER);
  }

  @Test
  void aLineWhoseModulesAnotherModuleOfTheAppImportsToo_savesNothing() throws IOException {
    Analysis analysis =
        handlerAndHelper("import heavy\n\nDEFAULT = heavy.VALUE\n\n\ndef run(event):\n    return event\n");

    assertEquals(List.of(), findings(analysis));
    assertEquals(100_000, analysis.statements().stream().filter(s -> s.oneBasedLine() == 1
        && s.file().equals("handler.py")).findFirst().orElseThrow().costMedianUs(), 0.001);
  }

  @Test
  void whatALibraryThatStaysImportsIsNoSavingEither() throws IOException {
    // heavy is loaded first by handler.py:1, and then by the library that helper.py imports
    Analysis analysis = analyze(Map.of(
        "handler.py", HANDLER,
        "helper.py", "import framework\n\n\ndef run(event):\n    return framework.go(event)\n",
        "framework/__init__.py", "import heavy.core\n\n\ndef go(event):\n    return event\n",
        "heavy/__init__.py", "", "heavy/core.py", "VALUE = 1\n"), List.of(
        new Recorded("heavy", "handler", 60, "heavy/__init__.py", "handler.py", 1),
        new Recorded("heavy.core", "heavy", 40, "heavy/core.py", "heavy/__init__.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2),
        new Recorded("framework", "helper", 2, "framework/__init__.py", "helper.py", 1)));

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void twoLinesOfOneLibraryEachToldToGo_eachSaveWhatTheyLoadedFirst() throws IOException {
    // line 2's module imports line 1's: either line alone would load line 1's modules, both together none
    Analysis analysis = analyze(Map.of(
        "handler.py", """
            from heavy import console
            from heavy import table
            import helper


            def handler(event, context):
                return helper.run(event)
            """,
        "helper.py", "def run(event):\n    return event\n",
        "heavy/__init__.py", "", "heavy/console.py", "VALUE = 1\n", "heavy/table.py", "from heavy import console\n"),
        List.of(
            new Recorded("heavy", "handler", 10, "heavy/__init__.py", "handler.py", 1),
            new Recorded("heavy.console", "handler", 50, "heavy/console.py", "handler.py", 1),
            new Recorded("heavy.table", "handler", 20, "heavy/table.py", "handler.py", 2),
            new Recorded("helper", "handler", 1, "helper.py", "handler.py", 3)));

    assertEquals(List.of("handler.py:1 CS101 60", "handler.py:2 CS101 20"), findings(analysis));
  }

  @Test
  void importingASubmoduleLoadsItsPackagesToo() throws IOException {
    Analysis analysis = analyze(Map.of(
        "handler.py", HANDLER,
        "helper.py", "import heavy.core\n\nDEFAULT = heavy.core.VALUE\n\n\ndef run(event):\n    return event\n",
        "heavy/__init__.py", "from heavy import extra\n", "heavy/core.py", "VALUE = 1\n",
        "heavy/extra.py", "VALUE = 2\n"), List.of(
        new Recorded("heavy", "handler", 10, "heavy/__init__.py", "handler.py", 1),
        new Recorded("heavy.extra", "heavy", 30, "heavy/extra.py", "heavy/__init__.py", 1),
        new Recorded("heavy.core", "handler", 60, "heavy/core.py", "handler.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2)));

    // helper's `import heavy.core` loads the package heavy first, and with it heavy.extra: nothing is saved
    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void whatLoadsAnywayIsTakenFromTheSavingAndNamed() throws IOException {
    Analysis analysis = analyze(Map.of(
        "handler.py", HANDLER,
        "helper.py", "import shared\n\nDEFAULT = shared.VALUE\n\n\ndef run(event):\n    return event\n",
        "heavy/__init__.py", "import shared\n", "shared/__init__.py", "VALUE = 1\n"), List.of(
        new Recorded("heavy", "handler", 60, "heavy/__init__.py", "handler.py", 1),
        new Recorded("shared", "heavy", 40, "shared/__init__.py", "heavy/__init__.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2)));

    assertEquals(List.of("handler.py:1 CS101 60"), findings(analysis));
    String detail = analysis.findings().get(0).detail();
    assertTrue(detail.endsWith(" Not counted: 100.0 ms paid by this line, of which 40.0 ms loads anyway: shared"
        + " (40.0 ms), which helper imports too, so removing or deferring this line does not avoid it."), detail);
  }

  @Test
  void theOtherModulesOfTheSameLineGoWithIt() throws IOException {
    Analysis analysis = analyze(Map.of(
        "handler.py", "import heavy, wrapper\nimport helper\n\n\ndef handler(event, context):\n"
            + "    return helper.run(event)\n",
        "helper.py", "def run(event):\n    return event\n",
        "heavy/__init__.py", "VALUE = 1\n", "wrapper/__init__.py", "import heavy\n"), List.of(
        new Recorded("heavy", "handler", 80, "heavy/__init__.py", "handler.py", 1),
        new Recorded("wrapper", "handler", 40, "wrapper/__init__.py", "handler.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2)));

    assertEquals(List.of("handler.py:1 CS101 120"), findings(analysis));
  }

  @Test
  void aLineTakingANameALazyPackageHandsOutIsItsOwnImport() throws IOException {
    // the module behind the name was recorded as imported from the package's __getattr__, not from handler.py
    Analysis analysis = analyze(Map.of(
        "handler.py", "from lazypkg import Thing\nimport helper\n\n\ndef handler(event, context):\n"
            + "    return helper.run(event)\n",
        "helper.py", "def run(event):\n    return event\n",
        "lazypkg/__init__.py", """
            _dynamic_imports = {
                'Thing': (__spec__.parent, '.things'),
            }


            def __getattr__(name):
                from importlib import import_module
                return getattr(import_module(_dynamic_imports[name][1], __spec__.parent), name)
            """,
        "lazypkg/things.py", "class Thing:\n    pass\n"), List.of(
        new Recorded("lazypkg", "handler", 1, "lazypkg/__init__.py", "handler.py", 1),
        new Recorded("lazypkg.things", "handler", 80, "lazypkg/things.py", "lazypkg/__init__.py", 10, 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2)));

    assertEquals(List.of("handler.py:1 CS101 81"), findings(analysis));
  }

  @Test
  void aLineToldToGoUnderTypeCheckingDoesNotStay() throws IOException {
    Analysis analysis = analyze(Map.of(
        "handler.py", """
            import heavy
            import typed
            import helper


            def handler(event: "typed.Event", context):
                return helper.run(event)
            """,
        "helper.py", "def run(event):\n    return event\n",
        "heavy/__init__.py", "VALUE = 1\n", "typed/__init__.py", "import heavy\n\n\nclass Event:\n    pass\n"),
        List.of(
            new Recorded("heavy", "handler", 80, "heavy/__init__.py", "handler.py", 1),
            new Recorded("typed", "handler", 40, "typed/__init__.py", "handler.py", 2),
            new Recorded("helper", "handler", 1, "helper.py", "handler.py", 3)));

    assertEquals(List.of("handler.py:1 CS101 80", "handler.py:2 CS105 40"), findings(analysis));
  }

  @Test
  void twoFilesImportingTheSameLibraryWhereNeitherUsesItAtModuleLevel_saveItTogether() throws IOException {
    // helper.py's line costs nothing (handler.py's loaded heavy first) and would load it alone: only both going
    // saves it, so the finding names both lines and offers no one-line fix
    Analysis analysis = handlerAndHelper("import heavy\n\n\ndef run(event):\n    return heavy.VALUE\n");

    assertEquals(List.of("handler.py:1 CS101 100"), findings(analysis));
    Finding finding = analysis.findings().get(0);
    assertTrue(finding.message().endsWith("; with helper.py:1"), finding.message());
    assertTrue(finding.detail().endsWith(" Only together with helper.py:1 (`import heavy`), which loads the same"
        + " modules and could go as well (their names are not used at import time): removing or deferring this"
        + " line alone does not avoid them."), finding.detail());
    assertEquals(List.of(), finding.fixes());
    assertEquals("the saving needs helper.py:1 to go too: remove this line and lazy-load"
        + " helper.py:1 together (`coldspy fix` applies them together)", finding.whyNoFix());
    assertEquals(List.of("handler.py:1 [REMOVE]", "helper.py:1 [LAZY_LOAD]"),
        finding.together().stream().map(line -> line.where() + " " + line.fixes()).toList());
  }

  @Test
  void aTypingOnlyLineWhoseModulesCodeThatStaysImportsToo_savesNothing() throws IOException {
    // other.py loaded heavy first, for annotations only; handler.py's own `import heavy` is used at module level:
    // guarding other.py's line under `if TYPE_CHECKING:` would only add an import of typing
    Analysis analysis = analyze(Map.of(
        "handler.py", "import helper\nimport heavy\n\nCLIENT = heavy.Client()\n\n\ndef handler(event, context):\n"
            + "    return helper.describe(CLIENT)\n",
        "helper.py", "from __future__ import annotations\n\nfrom heavy import Client\n\n\n"
            + "def describe(client: Client) -> str:\n    return type(client).__name__\n",
        "heavy/__init__.py", "class Client:\n    pass\n"), List.of(
        new Recorded("handler", null, 1, "handler.py", "handler.py", 0),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 1),
        new Recorded("heavy", "helper", 100, "heavy/__init__.py", "helper.py", 3)));

    assertEquals(List.of(), findings(analysis));
  }

  private static final List<Recorded> WRAPPER_LIBRARY = List.of(
      new Recorded("handler", null, 1, "handler.py", "handler.py", 0),
      new Recorded("wrapperlib", "handler", 0, "wrapperlib/__init__.py", "handler.py", 1),
      new Recorded("corelib.heavy", "wrapperlib", 30, "corelib/heavy.py", "wrapperlib/__init__.py", 1),
      new Recorded("corelib", "corelib.heavy", 0, "corelib/__init__.py", "wrapperlib/__init__.py", 1),
      new Recorded("corelib.sub", "wrapperlib", 0, "corelib/sub.py", "wrapperlib/__init__.py", 2));

  private static final Map<String, String> WRAPPER_LIBRARY_SOURCES = Map.of(
      "wrapperlib/__init__.py", "import corelib.heavy\nimport corelib.sub\n\n\ndef decode(token):\n"
          + "    return corelib.sub.check(token)\n",
      "corelib/__init__.py", "",
      "corelib/heavy.py", "TABLE = [1]\n",
      "corelib/sub.py", "import corelib.heavy\n\n\nclass PublicKey:\n    pass\n\n\ndef check(token):\n"
          + "    return len(corelib.heavy.TABLE)\n");

  private Analysis wrapperLibraryWith(String handler) throws IOException {
    Map<String, String> sources = new java.util.HashMap<>(WRAPPER_LIBRARY_SOURCES);
    sources.put("handler.py", handler);
    return analyze(sources, WRAPPER_LIBRARY, List.of("handler.py"), List.of(),
        Map.of("wrapperlib", 2, "corelib.sub", 2));
  }

  @Test
  void aRarelyUsedLibraryWhoseUnusedPartLoadsAnyway_savesOnlyWhatDoesNot() throws IOException {
    // corelib.heavy runs no code (CS106 at first); the line that stays imports corelib.sub, which imports
    // corelib.heavy, recorded beside it rather than below: lazy-loading `import wrapperlib` saves nothing
    Analysis analysis = wrapperLibraryWith("""
        import wrapperlib
        from corelib.sub import PublicKey


        def handler(event, context):
            if event.get("token"):
                return wrapperlib.decode(event["token"])
            return PublicKey.__name__
        """);

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void aLineWhoseNamesTheHandlerFunctionUsesDoesNotGoTogether() throws IOException {
    // the class used in handler() runs no code of its module, so the profile cannot see that use; but handler()
    // runs on every request, so deferring that line would only move its cost into the first one
    Analysis withUseInHandler = wrapperLibraryWith("""
        import wrapperlib
        from corelib.sub import PublicKey


        def handler(event, context):
            if event.get("token"):
                return wrapperlib.decode(event["token"])
            return describe(PublicKey)


        def describe(kind):
            return kind.__name__
        """);
    Analysis withUseInAnotherFunction = wrapperLibraryWith("""
        import wrapperlib
        from corelib.sub import PublicKey


        def handler(event, context):
            if event.get("token"):
                return wrapperlib.decode(event["token"])
            return event


        def describe():
            return PublicKey.__name__
        """);

    assertEquals(List.of(), findings(withUseInHandler));
    assertEquals(List.of("handler.py:1 CS102 24"), findings(withUseInAnotherFunction));
    assertTrue(withUseInAnotherFunction.findings().get(0).message().endsWith("; with handler.py:2"),
        withUseInAnotherFunction.findings().get(0).message());
  }

  @Test
  void aCompanionWhosePathDoesNotFitTheMessageIsNamedByItsFileName() throws IOException {
    String deep = "services/reporting/monthly/customers/europe/by_region_and_segment.py";
    Analysis analysis = analyze(Map.of(
        "handler.py", "import heavy\n"
            + "import services.reporting.monthly.customers.europe.by_region_and_segment as by_region\n\n\n"
            + "def handler(event, context):\n    return by_region.run(event)\n",
        deep, "import heavy\n\n\ndef run(event):\n    return heavy.VALUE\n",
        "heavy/__init__.py", "VALUE = 1\n"), List.of(
        new Recorded("heavy", "handler", 100, "heavy/__init__.py", "handler.py", 1),
        new Recorded("services.reporting.monthly.customers.europe.by_region_and_segment", "handler", 1, deep,
            "handler.py", 2)),
        List.of("handler.py", deep), List.of());

    Finding finding = analysis.findings().get(0);
    assertTrue(finding.message().endsWith("; with by_region_and_segment.py:1"), finding.message());
    assertTrue(finding.detail().contains("Only together with " + deep + ":1 (`import heavy`)"), finding.detail());
  }

  @Test
  void aLineOfTheSameLibraryWhoseUseCannotBeToldStays() throws IOException {
    // a star import binds names nobody can list: they may be used at import time
    Analysis analysis = handlerAndHelper("from heavy import *\n\n\ndef run(event):\n    return VALUE\n");

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void anotherLineOfTheSameShapeUsedAtModuleLevelKeepsTheLibrary() throws IOException {
    // helper.py's first line could go, but its second loads the same and is used at import time
    Analysis analysis = handlerAndHelper(
        "import heavy\n\n\ndef run(event):\n    return heavy.VALUE\n\n\nimport heavy as h\nDEFAULT = h.VALUE\n");

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void aLineInAFileWhoseFunctionsRunAtInitStays() throws IOException {
    // handler.py's body calls helper.check(), which uses heavy: lazy-loaded there, heavy would still load at init
    Analysis analysis = analyze(Map.of(
        "handler.py", "import heavy\nimport helper\n\nOK = helper.check(1)\n\n\ndef handler(event, context):\n"
            + "    return event\n",
        "helper.py", "import heavy\n\n\ndef check(x):\n    return isinstance(x, heavy.Thing)\n",
        "heavy/__init__.py", "class Thing:\n    pass\n"), HEAVY_FIRST_BY_HANDLER,
        List.of("handler.py", "helper.py"), List.of("helper"));

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void anUnreferencedLineInAFileWhoseFunctionsRunAtInitGoesTogether() throws IOException {
    // removing helper.py's unused `import heavy` moves nothing into helper.check(), which runs at init
    Analysis analysis = analyze(Map.of(
        "handler.py", "import heavy\nimport helper\n\nOK = helper.check(1)\n\n\ndef handler(event, context):\n"
            + "    return event\n",
        "helper.py", "import heavy\n\n\ndef check(x):\n    return x\n",
        "heavy/__init__.py", "class Thing:\n    pass\n"), HEAVY_FIRST_BY_HANDLER,
        List.of("handler.py", "helper.py"), List.of("helper"));

    assertEquals(List.of("handler.py:1 CS101 100"), findings(analysis));
    assertTrue(analysis.findings().get(0).message().endsWith("; with helper.py:1"),
        analysis.findings().get(0).message());
  }

  @Test
  void threeFilesImportingTheSameLibrary_allGoTogether() throws IOException {
    Analysis analysis = analyze(Map.of(
        "handler.py", "import heavy\nimport helper\nimport other\n\n\ndef handler(event, context):\n"
            + "    return helper.run(event) + other.run(event)\n",
        "helper.py", "import heavy\n\n\ndef run(event):\n    return heavy.VALUE\n",
        "other.py", "import heavy\n\n\ndef run(event):\n    return heavy.VALUE\n",
        "heavy/__init__.py", "VALUE = 1\n"), List.of(
        new Recorded("heavy", "handler", 100, "heavy/__init__.py", "handler.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 2),
        new Recorded("other", "handler", 1, "other.py", "handler.py", 3)),
        List.of("handler.py", "helper.py", "other.py"), List.of());

    assertEquals(List.of("handler.py:1 CS101 100"), findings(analysis));
    Finding finding = analysis.findings().get(0);
    assertTrue(finding.message().endsWith("; with helper.py:1, other.py:1"), finding.message());
    assertEquals("the saving needs helper.py:1, other.py:1 to go too: remove this line"
        + " and lazy-load helper.py:1, lazy-load other.py:1 together (`coldspy fix` applies them together)",
        finding.whyNoFix());
  }

  @Test
  void aTypingOnlyLineOfTheSameLibraryGoesTogetherWithTheLineThatLoadedIt() throws IOException {
    // line 2 costs nothing (line 1 loaded heavy and heavy.sheet first) and alone would load it all; its name is
    // only in a string annotation, so it can go under `if TYPE_CHECKING:` together with line 1's removal
    Analysis analysis = analyze(Map.of(
        "handler.py", """
            import heavy
            from heavy.sheet import Sheet
            import helper


            def handler(event: "Sheet", context):
                return helper.run(event)
            """,
        "helper.py", "def run(event):\n    return event\n",
        "heavy/__init__.py", "from heavy import sheet\n", "heavy/sheet.py", "class Sheet:\n    pass\n"), List.of(
        new Recorded("handler", null, 1, "handler.py", "handler.py", 0),
        new Recorded("heavy", "handler", 80, "heavy/__init__.py", "handler.py", 1),
        new Recorded("heavy.sheet", "heavy", 2, "heavy/sheet.py", "heavy/__init__.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 3)));

    assertEquals(List.of("handler.py:1 CS101 82"), findings(analysis));
    assertTrue(analysis.findings().get(0).detail().contains(" Only together with handler.py:2 (`from heavy.sheet"
        + " import Sheet`)"), analysis.findings().get(0).detail());
  }

  @Test
  void aLineOfTheSameLibraryUsedAtModuleLevelStays() throws IOException {
    Analysis analysis = analyze(Map.of(
        "handler.py", """
            import heavy
            from heavy.sheet import Sheet
            import helper

            DEFAULT_SHEET = Sheet()


            def handler(event, context):
                return helper.run(event)
            """,
        "helper.py", "def run(event):\n    return event\n",
        "heavy/__init__.py", "from heavy import sheet\n", "heavy/sheet.py", "class Sheet:\n    pass\n"), List.of(
        new Recorded("handler", null, 1, "handler.py", "handler.py", 0),
        new Recorded("heavy", "handler", 80, "heavy/__init__.py", "handler.py", 1),
        new Recorded("heavy.sheet", "heavy", 2, "heavy/sheet.py", "heavy/__init__.py", 1),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 3)));

    assertEquals(List.of(), findings(analysis));
  }

  @Test
  void aLineKeepingASavingOfItsOwnNamesTheMuchLargerSavingTogether_throughTheLibrarysOwnChain() throws IOException {
    // handler.py:3, used only in a string annotation, keeps base.client, whose base.docs imports base.session, which
    // handler.py:2's heavy loaded first with the rest: alone, line 2 saves heavy's own 10 ms; with line 3, 97 ms
    Analysis analysis = analyze(Map.of(
        "handler.py", """
            import helper
            import heavy
            from base.client import Client


            def handler(event: "Client", context):
                return helper.run(event)
            """,
        "helper.py", "import base\n\nROOT = base\n\n\ndef run(event):\n    return event\n",
        "heavy/__init__.py", "import base.session\n", "base/__init__.py", "",
        "base/session.py", "from base import client, compat\n",
        "base/client.py", "from base import docs\n\n\nclass Client:\n    pass\n",
        "base/docs.py", "from base import session\n", "base/compat.py", "VALUE = 1\n"), List.of(
        new Recorded("handler", null, 1, "handler.py", "handler.py", 0),
        new Recorded("helper", "handler", 1, "helper.py", "handler.py", 1),
        new Recorded("base", "helper", 1, "base/__init__.py", "helper.py", 1),
        new Recorded("heavy", "handler", 10, "heavy/__init__.py", "handler.py", 2),
        new Recorded("base.session", "heavy", 20, "base/session.py", "heavy/__init__.py", 1),
        new Recorded("base.client", "base.session", 2, "base/client.py", "base/session.py", 1),
        new Recorded("base.docs", "base.client", 5, "base/docs.py", "base/client.py", 1),
        new Recorded("base.compat", "base.session", 60, "base/compat.py", "base/session.py", 1)));

    assertEquals(List.of("handler.py:2 CS101 10"), findings(analysis));
    Finding finding = analysis.findings().get(0);
    assertTrue(finding.message().endsWith("; ~97 ms with handler.py:3"), finding.message());
    assertTrue(finding.detail().contains(" Together with handler.py:3 (`from base.client import Client`), which loads"
        + " the same modules and could go as well, it saves ~97 ms: remove this line and guard under"
        + " `if TYPE_CHECKING:` handler.py:3 together."), finding.detail());
    assertEquals(false, finding.fixes().isEmpty());
  }

  @Test
  void anUnusedPartThatLoadsAnywayIsNoSavingOfTheLineEither() throws IOException {
    // wrapperlib never runs, and corelib.heavy (30 ms) below it never runs either, but the line that stays
    // imports corelib.sub, which imports corelib.heavy: the line saves wrapperlib's own 5 ms, no unused part
    Map<String, String> sources = new java.util.HashMap<>(WRAPPER_LIBRARY_SOURCES);
    sources.put("handler.py", """
        import wrapperlib
        from corelib.sub import PublicKey


        def handler(event, context):
            if event.get("token"):
                return wrapperlib.decode(event["token"])
            return PublicKey.__name__
        """);
    Analysis analysis = analyze(sources, List.of(
        new Recorded("handler", null, 1, "handler.py", "handler.py", 0),
        new Recorded("wrapperlib", "handler", 5, "wrapperlib/__init__.py", "handler.py", 1),
        new Recorded("corelib.heavy", "wrapperlib", 30, "corelib/heavy.py", "wrapperlib/__init__.py", 1),
        new Recorded("corelib", "corelib.heavy", 0, "corelib/__init__.py", "wrapperlib/__init__.py", 1),
        new Recorded("corelib.sub", "wrapperlib", 2, "corelib/sub.py", "wrapperlib/__init__.py", 2)),
        List.of("handler.py"), List.of(), Map.of("corelib.sub", 10));

    assertEquals(List.of("handler.py:1 CS101 5"), findings(analysis));
  }
}
