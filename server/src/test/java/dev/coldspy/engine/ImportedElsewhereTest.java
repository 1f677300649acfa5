package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.coldspy.output.JsonOutput;
import dev.coldspy.profile.App;
import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Environment;
import dev.coldspy.profile.Invocation;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleUsage;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.ProfileSource;
import dev.coldspy.profile.ProfilerSettings;
import dev.coldspy.profile.SourceKind;
import dev.coldspy.profile.Trigger;
import dev.coldspy.profile.UsageSignal;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.RuleCode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CS106 counts as saving only what no code that stays imports too. {@code graphs}' never-run drawing part is the
 * first to import plotlib (100 ms) and tables (50 ms); the profile records only those first imports, but
 * {@code graphs.core}, which runs, imports tables itself at its top, so deferring the drawing part would not
 * avoid tables. The library's sources are read where the profile recorded them.
 */
class ImportedElsewhereTest {
  private static final String HANDLER = """
      import graphs


      def handler(event, context):
          return graphs.core.degree(event["edges"])
      """;

  @TempDir Path site;
  /** graphs/__init__.py as it is now (the profile recorded `from graphs import drawing` at line 2). */
  private String graphsInit = "from graphs import core\nfrom graphs import drawing\n";
  /** Whether the profile names the library line that imported the drawing part (older agents did not). */
  private boolean drawingTriggerRecorded = true;
  /** graphs/core.py as raw bytes, when not the text given to {@link #analyze}. */
  private byte[] coreBytes;

  private Analysis analyze(String coreSource, ModuleLevelImports sources) throws IOException {
    return analyze(coreSource, new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS, sources));
  }

  private Analysis analyze(String coreSource, Engine engine) throws IOException {
    write("graphs/__init__.py", graphsInit);
    if (coreBytes != null) {
      Files.write(site.resolve("graphs/core.py"), coreBytes);
    } else {
      write("graphs/core.py", coreSource);
    }
    write("graphs/drawing.py", "import plotlib\nimport tables\n");
    write("plotlib/__init__.py", "");
    write("tables/__init__.py", "");
    String library = site + "/";
    List<ColdStart> coldStarts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<ModuleImport> modules = List.of(
          module("graphs", null, 10, library + "graphs/__init__.py", new Trigger("/var/task/handler.py", 1)),
          module("graphs.core", "graphs", 5, library + "graphs/core.py", new Trigger(library + "graphs/__init__.py", 1)),
          module("graphs.drawing", "graphs", 2, library + "graphs/drawing.py",
              drawingTriggerRecorded ? new Trigger(library + "graphs/__init__.py", 2) : null),
          module("plotlib", "graphs.drawing", 100, library + "plotlib/__init__.py",
              new Trigger(library + "graphs/drawing.py", 1)),
          module("tables", "graphs.drawing", 50, library + "tables/__init__.py",
              new Trigger(library + "graphs/drawing.py", 2)));
      SortedMap<String, ModuleUsage> usage = new TreeMap<>();
      usage.put("graphs.core", new ModuleUsage(0, true));
      coldStarts.add(new ColdStart(i, 500_000, null, 0, 0, modules,
          List.of(new Invocation(0, "event.json", 1000, null, false, null, List.of("graphs.core"), 0)), usage));
    }
    Profile profile = new Profile(new ProfileSource(Path.of("graphs.json"), SourceKind.JSON),
        new App("graphs", "handler.py:handler", "/var/task"),
        new Environment("3.12.3", "CPython", "Linux", "x86_64", true, 512),
        new ProfilerSettings(1_000L, "wall", UsageSignal.SYS_MONITORING, "none", 10),
        null, List.of(), coldStarts, CallTree.EMPTY, List.of(), List.of());
    PythonModule handler = PythonModule.parse(HANDLER, new ModuleIdentity("handler", false));
    List<SourceFile> files = AppSources.of(List.of(new AppSources.Parsed("handler.py", "handler.py", handler)));
    return engine.analyze(ProfileSet.of(List.of(profile)), files);
  }

  private static ModuleImport module(String name, String parent, long selfMs, String file, Trigger trigger) {
    return new ModuleImport(name, parent, file, selfMs * 1000, selfMs * 1000, Phase.INIT, trigger, null, null);
  }

  private void write(String relative, String source) throws IOException {
    Path file = site.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
  }

  private static ModuleLevelImports recordedPaths() {
    return new ModuleLevelImports(recorded -> Optional.of(Path.of(recorded)));
  }

  private static Finding unusedPart(Analysis analysis) {
    assertEquals(1, analysis.findings().size(), analysis.findings().toString());
    Finding finding = analysis.findings().get(0);
    assertEquals(RuleCode.UNUSED_PART, finding.rule());
    return finding;
  }

  @Test
  void whatCodeThatStaysImportsToo_isNoSaving() throws IOException {
    Finding finding = unusedPart(analyze("import tables\n\n\ndef degree(edges):\n    return len(edges)\n",
        recordedPaths()));
    assertEquals(102_000, finding.savingUs(), 0.001);
    assertTrue(finding.detail().contains("152.0 ms of it loads graphs.drawing (3 modules: "),
        finding.detail());
    assertTrue(finding.detail().contains("; of that, 50.0 ms loads anyway: tables (50.0 ms), which graphs.core"
        + " imports too;"), finding.detail());
    assertTrue(finding.detail().endsWith("saves ~102.0 ms per cold start (the import time of graphs.drawing, which"
        + " never ran, less what other code imports too)"), finding.detail());
    UnusedPart drawing = finding.cost().unusedParts().get(0);
    assertEquals(List.of(new UnusedPart.ImportedElsewhere("tables", "graphs.core", 50_000)),
        drawing.importedElsewhere());
  }

  @Test
  void jsonSaysWhatOfThePartLoadsAnywayAndWhy() throws IOException {
    UnusedPart drawing = unusedPart(analyze("import tables\n", recordedPaths())).cost().unusedParts().get(0);
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      JsonOutput.unusedPart(json, drawing);
    }
    assertTrue(out.toString().contains("\"reportable\":true,\"savingMs\":102.000,\"importedElsewhere\":[{\"module\":"
        + "\"tables\",\"importer\":\"graphs.core\",\"costMs\":50.000}]"), out.toString());
  }

  @Test
  void importsInFunctionsAndUnderTypeCheckingDoNotLoadAnything() throws IOException {
    Finding finding = unusedPart(analyze("""
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            import tables


        def degree(edges):
            import tables
            return len(edges)
        """, recordedPaths()));
    assertEquals(152_000, finding.savingUs(), 0.001);
    assertTrue(finding.cost().unusedParts().get(0).importedElsewhere().isEmpty());
  }

  @Test
  void whenTheCodeThatStaysImportsThePartItself_deferringItSavesNothing() throws IOException {
    Analysis analysis = analyze("from graphs import drawing\n", recordedPaths());
    assertTrue(analysis.findings().stream().noneMatch(f -> f.rule() == RuleCode.UNUSED_PART),
        analysis.findings().toString());
    UnusedPart drawing = analysis.statements().get(0).unusedParts().get(0);
    assertEquals(0, drawing.savingUs(), 0.001);
  }

  @Test
  void thePartsOwnImportIsNoOtherCodeWhereverItIsNowAndWhenTheProfileDoesNotNameIt() throws IOException {
    graphsInit = "\"\"\"Graphs, with a docstring added since profiling.\"\"\"\n" + graphsInit;
    assertEquals(102_000, unusedPart(analyze("import tables\n", recordedPaths())).savingUs(), 0.001);
    drawingTriggerRecorded = false;
    assertEquals(102_000, unusedPart(analyze("import tables\n", recordedPaths())).savingUs(), 0.001);
  }

  /** A PEP 562 package: names handed out by {@code __getattr__} from a table, as pydantic's __init__ does. */
  private static final String LAZY_TABLE = """

      _dynamic_imports = {
          'Canvas': (__spec__.parent, '.drawing'),
          'Palette': (__spec__.parent, '.core'),
      }


      def __getattr__(name):
          from importlib import import_module
          package, module = _dynamic_imports[name]
          return getattr(import_module(module, package=package), name)
      """;

  @Test
  void aNameALazyPackageHandsOutLoadsItsModuleAnyway() throws IOException {
    graphsInit += LAZY_TABLE;
    Analysis analysis = analyze("from graphs import Canvas\n", recordedPaths());
    assertTrue(analysis.findings().stream().noneMatch(f -> f.rule() == RuleCode.UNUSED_PART),
        analysis.findings().toString());
    assertEquals(0, analysis.statements().get(0).unusedParts().get(0).savingUs(), 0.001);
  }

  @Test
  void aLazyNameOfAnotherModuleLeavesThePartsSaving() throws IOException {
    graphsInit += """

        __getattr__, __dir__, __all__ = attach(__name__, submod_attrs={
            "drawing": ["Canvas", "Stroke"],
            "core": ["Palette"],
        })
        """;
    assertEquals(152_000, unusedPart(analyze("from graphs import Palette\n", recordedPaths())).savingUs(), 0.001);
    assertTrue(analyze("from graphs import Stroke\n", recordedPaths()).findings().stream()
        .noneMatch(f -> f.rule() == RuleCode.UNUSED_PART));
  }

  @Test
  void thePartsOwnImportOfALazyNameIsNoOtherCode() throws IOException {
    graphsInit = "from graphs import core\nfrom graphs import Canvas\n" + LAZY_TABLE;
    drawingTriggerRecorded = false;
    assertEquals(102_000, unusedPart(analyze("import tables\n", recordedPaths())).savingUs(), 0.001);
  }

  @Test
  void aSecondAnalysisWithTheSameEngineGivesTheSameResult() throws IOException {
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS, recordedPaths());
    Analysis first = analyze("import tables\n", engine);
    assertEquals(first.findings(), analyze("import tables\n", engine).findings());
  }

  @Test
  void aLazyTableAddedBetweenTwoAnalysesWithTheSameEngineIsRead() throws IOException {
    Engine engine = new Engine(Knowledge.bundled(), EngineSettings.DEFAULTS, recordedPaths());
    assertEquals(152_000, unusedPart(analyze("from graphs import Canvas\n", engine)).savingUs(), 0.001);
    graphsInit += LAZY_TABLE;
    assertTrue(analyze("from graphs import Canvas\n", engine).findings().stream()
        .noneMatch(f -> f.rule() == RuleCode.UNUSED_PART));
  }

  @Test
  void aSourceThatIsNotUtf8TellsNothingAndThePartKeepsItsWholeCost() throws IOException {
    coreBytes = new byte[] {'i', 'm', 'p', 'o', 'r', 't', ' ', 't', 'a', 'b', 'l', 'e', 's', '\n', '#', (byte) 0xff, '\n'};
    assertEquals(152_000, unusedPart(analyze("", recordedPaths())).savingUs(), 0.001);
  }

  @Test
  void withoutTheLibrariesSourcesAPartKeepsItsWholeCost() throws IOException {
    Finding finding = unusedPart(analyze("import tables\n", ModuleLevelImports.NONE));
    assertEquals(152_000, finding.savingUs(), 0.001);
  }
}
