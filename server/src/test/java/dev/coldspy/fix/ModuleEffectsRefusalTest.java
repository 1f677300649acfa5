package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package whose own code acts when imported (reportlab's {@code __init__} reads {@code ~/.reportlab_settings}):
 * deferring one of the app's imports of it is refused, unless a plain import above it that stays imports the
 * package first, so that its code still runs when and where it did. The app's own modules likewise, with the app
 * modules their top level imports: deferring the line would delay what those do.
 */
class ModuleEffectsRefusalTest {
  @TempDir Path site;

  private FixPlan lazyLoad(String source, int line) throws IOException {
    Path pkg = Files.createDirectories(site.resolve("pdflib"));
    Files.writeString(pkg.resolve("__init__.py"), "import os\nos.environ.setdefault('PDFLIB_HOME', '/tmp')\n");
    Files.writeString(pkg.resolve("pagesizes.py"), "A4 = (595, 842)\n");
    Files.writeString(pkg.resolve("canvas.py"), "class Canvas:\n    pass\n");
    return lazyLoad(source, line, Map.of(), Set.of(), Map.of(
        "pdflib", pkg.resolve("__init__.py"), "pdflib.pagesizes", pkg.resolve("pagesizes.py"),
        "pdflib.canvas", pkg.resolve("canvas.py")));
  }

  /**
   * @param project the project's modules besides the handler, by name and source
   * @param vendored those of them that are vendored libraries'
   */
  private static FixPlan lazyLoad(String source, int line, Map<String, String> project, Set<String> vendored,
      Map<String, Path> installed) {
    PythonModule module = PythonModule.parse(source, new ModuleIdentity("handler", false));
    Map<String, PythonModule> modules = new HashMap<>(Map.of("handler", module));
    project.forEach((name, text) -> modules.put(name, PythonModule.parse(text, new ModuleIdentity(name, false))));
    FixOptions options = FixOptions.defaults().forProject(Set.of(), modules, vendored, installed);
    ImportStatement statement = module.imports().statements().stream()
        .filter(s -> s.profileLine() == line).findFirst().orElseThrow();
    return new FixPlanner(options).plan(module, statement, List.of(), FixKind.LAZY_LOAD);
  }

  private static final String USES_SETTINGS_IN_A_FUNCTION = """
      import settings


      def handler(event, context):
          return settings.NAME
      """;

  @Test
  void aPackageThatActsWhenImportedIsNotDeferred() throws IOException {
    FixPlan plan = lazyLoad("""
        from pdflib.canvas import Canvas


        def render():
            return Canvas()
        """, 1);

    assertEquals("importing `pdflib` acts beyond defining names (`__init__.py` line 2:"
        + " `os.environ.setdefault('PDFLIB_HOME', '/tmp')`), an effect the program relies on",
        assertInstanceOf(FixPlan.Unsafe.class, plan).reason());
  }

  @Test
  void aPackageAPlainImportAboveLoadsFirstActsThereStill() throws IOException {
    FixPlan plan = lazyLoad("""
        from pdflib.pagesizes import A4
        from pdflib.canvas import Canvas


        def render():
            return Canvas(), A4
        """, 2);

    assertInstanceOf(FixPlan.Safe.class, plan);
  }

  @Test
  void aPlainImportBelowDoesNotCount() throws IOException {
    // the package's code would run later, at the line below, after whatever stands between
    FixPlan plan = lazyLoad("""
        from pdflib.canvas import Canvas
        from pdflib.pagesizes import A4


        def render():
            return Canvas(), A4
        """, 1);

    assertInstanceOf(FixPlan.Unsafe.class, plan);
  }

  @Test
  void anAppModuleWhoseTopLevelImportsAnAppModuleThatActsIsNotDeferred() {
    FixPlan plan = lazyLoad(USES_SETTINGS_IN_A_FUNCTION, 1, Map.of(
        "settings", "import logconfig\n\nNAME = 'orders'\n",
        "logconfig", "import logging\n\nlogging.getLogger('app').setLevel(logging.ERROR)\n"), Set.of(), Map.of());

    assertEquals("importing `settings` acts beyond defining names (`logconfig`, which it imports: `logconfig.py`"
        + " line 3: `logging.getLogger('app').setLevel(logging.ERROR)`), an effect the program relies on",
        assertInstanceOf(FixPlan.Unsafe.class, plan).reason());
  }

  @Test
  void anAppModuleThatOnlyDefinesIsDeferred() {
    FixPlan plan = lazyLoad(USES_SETTINGS_IN_A_FUNCTION, 1, Map.of(
        "settings", "import constants\n\nNAME = constants.PREFIX + 'orders'\n",
        "constants", "PREFIX = 'shop-'\n"), Set.of(), Map.of());

    assertInstanceOf(FixPlan.Safe.class, plan);
  }

  @Test
  void aVendoredLibrarysModuleIsJudgedByItsOwnTopLevel_asAnInstalledOne() {
    // the library's drawing module imports its preview module, which configures matplotlib
    FixPlan plan = lazyLoad(USES_SETTINGS_IN_A_FUNCTION.replace("settings", "drawing"), 1, Map.of(
        "drawing", "from preview import render\n\nNAME = 'map'\n",
        "preview", "import matplotlib\n\nmatplotlib.use('Agg')\n\n\ndef render():\n    pass\n"),
        Set.of("drawing", "preview"), Map.of());

    assertInstanceOf(FixPlan.Safe.class, plan);
  }
}
