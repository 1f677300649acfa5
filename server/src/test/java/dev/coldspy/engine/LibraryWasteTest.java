package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.profile.App;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Environment;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleLevelStatement;
import dev.coldspy.profile.ModuleUsage;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.ProfileSource;
import dev.coldspy.profile.ProfilerSettings;
import dev.coldspy.profile.SourceKind;
import dev.coldspy.profile.Trigger;
import dev.coldspy.profile.UsageSignal;
import dev.coldspy.project.VendoredLibraries;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.RuleCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waste inside libraries, end to end through the engine: a graph handler whose igraph (vendored next to it)
 * eagerly imports its drawing sub-package, which pulls in matplotlib, while requests only build graphs; a
 * module-level {@code MODEL = loader.load_model(...)} that unpickles, importing sklearn and, through it,
 * sklearn.datasets and scipy, which never run; joblib used only by that call at init. Ten cold starts with an
 * exact usage signal and the agent's record of use at init.
 */
class LibraryWasteTest {
  private static final String ROOT = "/var/task";
  private static final String SITE = "/var/lang/lib/python3.11/site-packages/";
  private static final String HANDLER = """
      import json
      import igraph
      import joblib
      from models import loader

      MODEL = loader.load_model("model.pkl")


      def handler(event, context):
          graph = igraph.Graph(event["edges"])
          return json.dumps({"degree": graph.degree(), "score": MODEL.predict(event)})
      """;
  private static final String LOADER = """
      import joblib


      def load_model(path):
          return joblib.load(path)
      """;
  /** igraph's own __init__ as vendored next to the handler (its import lines must not be reported). */
  private static final String IGRAPH_INIT = """
      from igraph._igraph import *
      from igraph.graph import Graph
      from igraph.drawing import plot
      from igraph.io import read
      """;

  @TempDir Path app;

  private static SourceFile file(String relative, String source) {
    String module = relative.replace(".py", "").replace('/', '.').replace(".__init__", "");
    PythonModule parsed = PythonModule.parse(source, new ModuleIdentity(module, relative.endsWith("__init__.py")));
    return AppSources.of(List.of(new AppSources.Parsed(relative, relative, parsed))).get(0);
  }

  private static ModuleImport module(String name, String parent, long selfMs, String file, Trigger trigger,
      ModuleLevelStatement statement) {
    return new ModuleImport(name, parent, file, selfMs * 1000, selfMs * 1000, Phase.INIT, trigger, null, statement);
  }

  private static ModuleImport module(String name, String parent, long selfMs, String file, Trigger trigger) {
    return module(name, parent, selfMs, file, trigger, null);
  }

  private static Trigger at(String file, int line) {
    return new Trigger(file, line);
  }

  /** How the profile records the import of sklearn by the module-level unpickle. */
  private enum Unpickle {
    /** The trigger is pickle's Python code; the agent recorded the module-level statement behind it. */
    STATEMENT_RECORDED,
    /** The same, by an agent that does not record the statement. */
    STATEMENT_NOT_RECORDED,
    /** C code imported it (`pickle.loads` at module level): the statement itself is the trigger. */
    BY_C_CODE,
    /**
     * C code imported it inside the app's own helper (`return pickle.loads(blob)` in load_model): the trigger is
     * the helper's line, inside a function; the agent recorded the module-level statement behind the call.
     */
    BY_C_CODE_IN_APP_HELPER
  }

  private static ProfileSet profiles() {
    return profiles(Unpickle.STATEMENT_RECORDED);
  }

  private static ProfileSet profiles(Unpickle unpickle) {
    String igraph = ROOT + "/igraph/";
    ModuleLevelStatement model = unpickle == Unpickle.BY_C_CODE_IN_APP_HELPER
        ? new ModuleLevelStatement(ROOT + "/handler.py", 6,
            List.of(new ModuleLevelStatement.Call(ROOT + "/models/loader.py", 5, "load_model")), 0)
        : unpickle != Unpickle.STATEMENT_RECORDED ? null : new ModuleLevelStatement(ROOT + "/handler.py", 6, List.of(
        new ModuleLevelStatement.Call(ROOT + "/models/loader.py", 5, "load_model"),
        new ModuleLevelStatement.Call(SITE + "joblib/numpy_pickle.py", 650, "load"),
        new ModuleLevelStatement.Call("/var/lang/lib/python3.11/pickle.py", 1580, "_Unpickler.find_class")), 0);
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<ModuleImport> modules = List.of(
          module("igraph", null, 10, igraph + "__init__.py", at(ROOT + "/handler.py", 2)),
          module("igraph._igraph", "igraph", 5, igraph + "_igraph.cpython-311-x86_64-linux-gnu.so",
              at(igraph + "__init__.py", 1)),
          module("igraph.graph", "igraph", 3, igraph + "graph.py", at(igraph + "__init__.py", 2)),
          module("igraph.drawing", "igraph", 2, igraph + "drawing/__init__.py", at(igraph + "__init__.py", 3)),
          module("matplotlib", "igraph.drawing", 130 + i % 2 * 10, SITE + "matplotlib/__init__.py",
              at(igraph + "drawing/__init__.py", 3)),
          module("matplotlib.pyplot", "igraph.drawing", 200, SITE + "matplotlib/pyplot.py",
              at(igraph + "drawing/__init__.py", 4)),
          module("igraph.io", "igraph", 2, igraph + "io/__init__.py", at(igraph + "__init__.py", 4)),
          module("joblib", null, 30, SITE + "joblib/__init__.py", at(ROOT + "/handler.py", 3)),
          module("joblib.numpy_pickle", "joblib", 20, SITE + "joblib/numpy_pickle.py", at(SITE + "joblib/__init__.py", 9)),
          module("models", null, 0, ROOT + "/models/__init__.py", at(ROOT + "/handler.py", 4)),
          module("models.loader", "models", 0, ROOT + "/models/loader.py", at(ROOT + "/handler.py", 4)),
          module("sklearn", null, 200, SITE + "sklearn/__init__.py", switch (unpickle) {
            case BY_C_CODE -> at(ROOT + "/handler.py", 6);
            case BY_C_CODE_IN_APP_HELPER -> at(ROOT + "/models/loader.py", 5);
            default -> at("/var/lang/lib/python3.11/pickle.py", 1580);
          }, model),
          module("sklearn.tree", "sklearn", 50, SITE + "sklearn/tree/__init__.py", at(SITE + "sklearn/__init__.py", 70)),
          module("sklearn.datasets", "sklearn", 20, SITE + "sklearn/datasets/__init__.py",
              at(SITE + "sklearn/__init__.py", 80)),
          module("scipy", "sklearn.datasets", 100, SITE + "scipy/__init__.py",
              at(SITE + "sklearn/datasets/__init__.py", 5)));
      SortedMap<String, ModuleUsage> usage = new TreeMap<>();
      usage.put("igraph.graph", new ModuleUsage(0, true));
      usage.put("sklearn.tree", new ModuleUsage(0, true));
      usage.put("joblib.numpy_pickle", new ModuleUsage(0, false, true, List.of("models.loader")));
      usage.put("models.loader", new ModuleUsage(0, false, true, List.of("handler")));
      usage.put("sklearn", new ModuleUsage(0, false, true, List.of("pickle")));
      List<Invocation> invocations = List.of(new Invocation(0, "event.json", 1000, null, false, null,
          List.of("igraph.graph", "sklearn.tree"), 0));
      coldStarts.add(new ColdStart(i, 900_000, null, 0, 0, modules, invocations, usage));
    }
    Profile profile = new Profile(
        new ProfileSource(Path.of("graphs.json"), SourceKind.JSON),
        new App("graphs", "handler.py:handler", ROOT),
        new Environment("3.12.3", "CPython", "Linux", "x86_64", true, 512),
        new ProfilerSettings(1_000L, "wall", UsageSignal.SYS_MONITORING, "none", 10),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());
    return ProfileSet.of(List.of(profile));
  }

  private static List<SourceFile> files() {
    return List.of(file("handler.py", HANDLER), file("models/__init__.py", ""), file("models/loader.py", LOADER),
        file("igraph/__init__.py", IGRAPH_INIT));
  }

  private Analysis analyze() throws IOException {
    Files.createDirectories(app.resolve("igraph"));
    Files.writeString(app.resolve("igraph/__init__.py"), IGRAPH_INIT);
    Files.createDirectories(app.resolve("python_igraph-0.11.8.dist-info"));
    Files.writeString(app.resolve("python_igraph-0.11.8.dist-info/RECORD"), "igraph/__init__.py,,\n");
    VendoredLibraries vendored = VendoredLibraries.find(app, List.of(), "handler.py", problem -> { });
    return new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(profiles(), files(), vendored::contains,
        () -> { });
  }

  @Test
  void theUsersLineThatPullsInAnUnusedSubPackageIsRankedFirstAndNamesIt() throws IOException {
    Finding first = analyze().findings().get(0);
    assertEquals("handler.py", first.file());
    assertEquals(2, first.oneBasedLine());
    assertEquals(RuleCode.UNUSED_PART, first.rule());
    assertEquals(
        "unused part of a used library: igraph costs 357.0 ms per cold start (p90 362.0 ms); 337.0 ms of it loads"
            + " igraph.drawing (3 modules: igraph/__init__.py:3 → igraph.drawing → matplotlib.pyplot; brings in"
            + " matplotlib), whose code never ran in 10 cold starts (exact usage signal, 10 invocations);"
            + " `coldspy fix --vendored` defers it at igraph/__init__.py:3 (the library ships in the function's"
            + " folder); else vendor the library and defer that import, ask its maintainers to import it lazily,"
            + " or use a library without it; saves ~337.0 ms per cold start (the import time of igraph.drawing,"
            + " which never ran)",
        first.detail());
    assertEquals("igraph loads igraph.drawing, which never ran (saves ~337 ms)", first.message());
    // igraph.io never ran either: igraph's own sub-package, in the breakdown only
    assertEquals(List.of("igraph.drawing", "igraph.io"),
        first.cost().unusedParts().stream().map(UnusedPart::module).toList());
    assertEquals(List.of(), first.fixes());
    UnusedPart drawing = first.cost().unusedParts().get(0);
    assertEquals(ROOT + "/igraph/__init__.py", drawing.libraryLine().file());
    assertEquals(3, drawing.libraryLine().oneBasedLine());
  }

  @Test
  void aModuleLevelCallThatImportsIsChargedForWhatItLoadsAndItsUnusedPart() throws IOException {
    Analysis analysis = analyze();
    Finding model = analysis.findings().get(1);
    assertEquals(6, model.oneBasedLine());
    assertEquals(RuleCode.UNUSED_PART, model.rule());
    assertEquals(370_000, model.cost().costMedianUs(), 0.001);
    assertEquals("models.loader → joblib.numpy_pickle → pickle", model.cost().calls());
    assertTrue(model.detail().startsWith("unused part of a used library: `MODEL = loader.load_model(\"model.pkl\")`"
        + " costs 370.0 ms per cold start (p90 370.0 ms); 120.0 ms of it loads sklearn.datasets (2 modules:"
        + " sklearn/__init__.py:80 → sklearn.datasets → scipy; brings in scipy), whose code never ran"),
        model.detail());
    assertEquals("`MODEL = loader.load_model(\"model.pkl\")` loads sklearn.datasets, which never ran (saves ~120 ms)",
        model.message());
    assertFalse(model.cost().ref().isImport());
  }

  @Test
  void withoutTheRecordedStatementTheUnpicklesImportsAreChargedToNoneAndTheSummarySaysSo() {
    Analysis analysis = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(profiles(Unpickle.STATEMENT_NOT_RECORDED), files());
    assertTrue(analysis.statements().stream().noneMatch(s -> s.oneBasedLine() == 6 && s.file().equals("handler.py")));
    assertTrue(analysis.summary().notes().contains("370.0 ms of init was imported by calls outside any import"
        + " statement (sklearn from pickle.py:1580) and is charged to no statement: the profiles do not name the"
        + " module-level statement that made the call (profile again with the current agent to charge it)"),
        analysis.summary().notes().toString());
  }

  @Test
  void aStatementWhoseCCodeImportedIsItsOwnTriggerAndPays() {
    Analysis analysis = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS)
        .analyze(profiles(Unpickle.BY_C_CODE), files());
    Finding model = analysis.findings().stream().filter(f -> f.oneBasedLine() == 6).findFirst().orElseThrow();
    assertEquals(RuleCode.UNUSED_PART, model.rule());
    assertEquals(370_000, model.cost().costMedianUs(), 0.001);
    assertEquals(null, model.cost().calls());
  }

  @Test
  void anImportCCodeMadeInsideTheAppsHelperIsChargedToTheUsersModuleLevelLine() {
    // not to the helper's `def load_model(path):`, the module-level statement of loader.py around the trigger
    Analysis analysis = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS)
        .analyze(profiles(Unpickle.BY_C_CODE_IN_APP_HELPER), files());
    Finding model = analysis.findings().stream().filter(f -> f.oneBasedLine() == 6).findFirst().orElseThrow();
    assertEquals("handler.py", model.file());
    assertEquals(RuleCode.UNUSED_PART, model.rule());
    assertEquals(370_000, model.cost().costMedianUs(), 0.001);
    assertEquals("models.loader", model.cost().calls());
    assertTrue(analysis.statements().stream().noneMatch(s -> s.file().equals("models/loader.py") && !s.ref().isImport()),
        analysis.statements().toString());
  }

  @Test
  void codeUsedOnlyAtInitIsNeverReportedAsNeverUsed() throws IOException {
    Analysis analysis = analyze();
    assertEquals(2, analysis.findings().size(), analysis.findings().toString());
    StatementCost joblib = analysis.statements().stream()
        .filter(s -> s.file().equals("handler.py") && s.oneBasedLine() == 3).findFirst().orElseThrow();
    assertTrue(joblib.usedAtInitOnly());
    assertEquals(List.of("models.loader"), List.copyOf(joblib.initUse().callers()));
  }

  @Test
  void vendoredLibrariesOwnImportLinesGetNoDiagnosticsNorStatements() throws IOException {
    Analysis analysis = analyze();
    assertTrue(analysis.statements().stream().noneMatch(s -> s.file().startsWith("igraph/")));
    // Without the vendored metadata the same files are the app's: the library's own lines are reported.
    Analysis unvendored = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS).analyze(profiles(), files());
    assertTrue(unvendored.findings().stream().anyMatch(f -> f.file().equals("igraph/__init__.py")));
  }
}
