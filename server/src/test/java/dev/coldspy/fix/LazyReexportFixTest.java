package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vendored graph library whose {@code __init__} re-exports its drawing sub-package: the fix turns the
 * re-export into a PEP 562 {@code __getattr__}, and the real Python shows the sub-package loads on first access
 * only, with every way of reaching the names still working.
 */
class LazyReexportFixTest {
  /** The corpus case whose expected file the real Python runs here. */
  private static final Path CASE = FixCorpus.root().resolve("lazy-reexport/sub-package-reexport");

  private static String read(String name) throws IOException {
    return Files.readString(CASE.resolve(name));
  }

  @TempDir Path site;

  private static FixPlan plan(String source, ModuleIdentity identity, int line) {
    PythonModule module = PythonModule.parse(source, identity);
    ImportStatement statement = module.imports().statements().stream()
        .filter(s -> s.profileLine() == line).findFirst().orElseThrow();
    return new FixPlanner(FixOptions.defaults()).plan(module, statement, List.of(), FixKind.LAZY_REEXPORT);
  }

  @Test
  void namesListedInAllAreStillImportedByAStarImportAndThePlanSaysSo() throws IOException {
    FixPlan plan = plan(read("input.py"), new ModuleIdentity("minigraph", true), 3);
    assertEquals("`from minigraph import *` still imports `.drawing`: the names are in `__all__`",
        assertInstanceOf(FixPlan.Safe.class, plan).caveat());
  }

  @Test
  void refusedWhenThePackagesOwnCodeNeedsTheNames() throws IOException {
    String init = read("input.py");
    String usesAtImport = init + "DEFAULT = plot\n";
    FixPlan.Unsafe atImport = assertInstanceOf(FixPlan.Unsafe.class,
        plan(usesAtImport, new ModuleIdentity("minigraph", true), 3));
    assertTrue(atImport.reason().startsWith("`plot` is used by the package's own code at line 6"), atImport.reason());
    String usesSubmodule = init + "def render(g):\n    return drawing.render(g)\n";
    FixPlan.Unsafe submodule = assertInstanceOf(FixPlan.Unsafe.class,
        plan(usesSubmodule, new ModuleIdentity("minigraph", true), 3));
    assertTrue(submodule.reason().contains("its submodule `drawing` as a global at line 7"), submodule.reason());
    String hasGetattr = init + "def __getattr__(name):\n    raise AttributeError(name)\n";
    assertTrue(assertInstanceOf(FixPlan.Unsafe.class, plan(hasGetattr, new ModuleIdentity("minigraph", true), 3))
        .reason().contains("defines `__getattr__` already (line 6)"));
    assertTrue(assertInstanceOf(FixPlan.Unsafe.class, plan(init, new ModuleIdentity("minigraph.core", false), 3))
        .reason().contains("not one: lazy-load the import instead"));
    assertTrue(assertInstanceOf(FixPlan.Unsafe.class,
        plan("import minigraph.drawing\n", new ModuleIdentity("minigraph", true), 1))
        .reason().contains("binds a module, not names re-exported"));
  }


  @Test
  void theSubPackageLoadsOnFirstAccessAndEveryWayOfReachingTheNamesWorks() throws Exception {
    assumeTrue(Python3.available(), "python3 is not on the PATH");
    Path pkg = Files.createDirectories(site.resolve("minigraph/drawing"));
    Files.writeString(pkg.getParent().resolve("__init__.py"), read("expected.py"));
    Files.writeString(pkg.getParent().resolve("graph.py"), "class Graph:\n    pass\n");
    Files.writeString(pkg.resolve("__init__.py"), "def plot():\n    return 'plotted'\n\n\nclass Plot:\n    pass\n");
    assertEquals("False True True", Python3.run(site, "import sys, minigraph; loaded = 'minigraph.drawing' in sys.modules;"
        + " from minigraph import plot; print(loaded, plot() == 'plotted', 'minigraph.drawing' in sys.modules)"));
    assertEquals("True True True", Python3.run(site, "import minigraph; print(minigraph.drawing.plot() == 'plotted',"
        + " minigraph.DrawingPlot.__name__ == 'Plot', 'plot' in dir(minigraph))"));
    assertEquals("plotted", Python3.run(site, "from minigraph import *; print(plot())"));
    assertEquals("AttributeError", Python3.run(site, "import minigraph\ntry:\n    minigraph.missing\n"
        + "except AttributeError:\n    print('AttributeError')"));
  }


  @Test
  void refusedWhenTheSubPackageIsImportedAtStartUpAnyway() {
    String source = "from .drawing import plot, palette\nfrom .drawing.colors import RED\n\nCOLORS = palette()\n";
    PythonModule module = PythonModule.parse(source, new ModuleIdentity("minigraph", true));
    ImportStatement statement = module.imports().statements().get(0);
    FixPlan part = new FixPlanner(FixOptions.defaults()).plan(module, statement, List.of("plot"), FixKind.LAZY_REEXPORT);
    assertEquals("the statement's other names would still import `.drawing` at start-up: defer all of them or none",
        assertInstanceOf(FixPlan.Unsafe.class, part).reason());
    String twice = "from .drawing import plot\nfrom .drawing.colors import RED\n";
    assertEquals("line 2 imports `minigraph.drawing` at start-up too: defer it as well, or deferring this one"
        + " saves nothing",
        assertInstanceOf(FixPlan.Unsafe.class, plan(twice, new ModuleIdentity("minigraph", true), 1)).reason());
  }
}
