package dev.coldspy.lsp;

import static dev.coldspy.lsp.LspAssert.assertDiagnostics;
import static dev.coldspy.lsp.LspAssert.d;
import static dev.coldspy.lsp.LspAssert.r;
import static dev.coldspy.lsp.LspAssert.related;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticServiceTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import json
      import acme_analytics
      from reportlab.pdfgen import canvas


      def handler(event, context):
          if event.get("pdf"):
              return canvas.Canvas("out.pdf")
          return json.dumps(event)
      """;

  private TestProject project() {
    return new TestProject(root)
        .file("handler.py", HANDLER)
        .module("json", 2, "handler.py", 1)
        .module("acme_analytics", 800, "handler.py", 2)
        .module("reportlab", 300, "handler.py", 3)
        .submodule("reportlab.pdfgen", "reportlab", 100)
        .usedIn("json", 40)
        .usedIn("reportlab", 2)
        .useSite("handler.py", "handler", 8, "reportlab", 57);
  }

  private static List<Diagnostic> diagnostics(DocumentAnalysis analysis) {
    return DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED);
  }

  @Test
  void neverUsedAndRarelyUsedImportsGetDiagnosticsOnTheirLines() {
    String handler = root.resolve("handler.py").toUri().toString();

    assertDiagnostics(diagnostics(project().analyse("handler.py")),
        d(r(1, 0, 1, 21), DiagnosticSeverity.Warning, "CS101",
            "acme_analytics never used in 40 cold starts — remove it (saves ~800 ms)"),
        d(r(2, 0, 2, 35), DiagnosticSeverity.Warning, "CS102",
            "reportlab used in 2/40 cold starts — lazy-load saves ~380 ms",
            related(handler, 7, "used here, in handler (57 samples)")));
  }

  @Test
  void modulesCompiledFromSourceAreReportedOnTheHandlersDefWithTheDetailsInTheHover() {
    DocumentAnalysis analysis = project().compiledFromSource().analyse("handler.py");

    List<Diagnostic> diagnostics = diagnostics(analysis);

    // 4 modules, a tenth of 1,202 ms each compiling; init 1,207 ms
    assertDiagnostics(diagnostics.subList(2, 3), d(r(5, 0, 5, 28), DiagnosticSeverity.Warning, "CS107",
        "4 modules compiled from source on every cold start: 120.2 ms (10 % of init) — coldspy precompile saves it"));
    String hover = HoverService.hover(analysis, new Position(5, 4), TestProject.NEVER_CANCELLED).getContents()
        .getRight().getValue();
    assertEquals("""
        **ColdSpy** · CS107 compiled from source

        | | |
        |---|---|
        | compiling per cold start | 120.2 ms (10 % of init) |
        | modules compiled | 4 (median over 40 cold starts) |
        | saving if fixed | ~120.2 ms per cold start |

        Largest: acme\\_analytics 80.0 ms, reportlab 40.0 ms, json 0.2 ms. Cause: no bytecode, and the interpreter\
         does not write it (PYTHONDONTWRITEBYTECODE or -B). Write bytecode for the runtime's Python into the\
         deployment (coldspy precompile DIR): saves ~120.2 ms per cold start (the measured compile time, median\
         over 40 cold starts).""", hover);
  }

  @Test
  void withoutTheHandlerFunctionCompilingFromSourceGoesOnTheFirstStatement() {
    List<Diagnostic> diagnostics = diagnostics(project().handler("handler.py:main").compiledFromSource()
        .analyse("handler.py"));

    assertEquals(List.of("CS107", "CS101", "CS102"), diagnostics.stream().map(d -> d.getCode().getLeft()).sorted(
        java.util.Comparator.comparing(code -> !code.equals("CS107"))).toList());
    assertEquals(r(0, 0, 0, 11), diagnostics.stream().filter(d -> d.getCode().getLeft().equals("CS107")).findFirst()
        .orElseThrow().getRange());
  }

  @Test
  void severityFollowsTheThresholdsOfThePyproject() {
    TestProject project = project().file("pyproject.toml", "[tool.coldspy]\nwarning-ms = 500\nerror-ms = 1000\n");

    List<Diagnostic> diagnostics = diagnostics(project.analyse("handler.py"));

    assertEquals(List.of(DiagnosticSeverity.Warning, DiagnosticSeverity.Information),
        diagnostics.stream().map(Diagnostic::getSeverity).toList());
  }

  @Test
  void anErrorIsOptIn() {
    // By default a performance hint is a warning at most, however large the saving (800 ms here).
    assertEquals(List.of(DiagnosticSeverity.Warning, DiagnosticSeverity.Warning),
        diagnostics(project().analyse("handler.py")).stream().map(Diagnostic::getSeverity).toList());
    TestProject optedIn = project().file("pyproject.toml", "[tool.coldspy]\nerror-ms = 500\n");
    assertEquals(List.of(DiagnosticSeverity.Error, DiagnosticSeverity.Warning),
        diagnostics(optedIn.analyse("handler.py")).stream().map(Diagnostic::getSeverity).toList());
  }

  @Test
  void ignoredRulesAreNotReported() {
    TestProject project = project().file("pyproject.toml", "[tool.coldspy]\nignore = [\"CS101\"]\n");

    assertEquals(List.of("CS102"),
        diagnostics(project.analyse("handler.py")).stream().map(d -> d.getCode().getLeft()).toList());
  }

  @Test
  void relatedInformationFollowsTheUseWhenLinesAreInsertedAfterProfiling() {
    // The profile recorded the call at line 8; the user has since added two comment lines in the function.
    String edited = HANDLER.replace("def handler(event, context):\n",
        "def handler(event, context):\n    # PDFs are rare: most events ask for JSON.\n    # See the README.\n");
    Diagnostic reportlab = diagnostics(project().file("handler.py", edited).analyse("handler.py")).get(1);

    var used = reportlab.getRelatedInformation().get(0);
    assertEquals(9, used.getLocation().getRange().getStart().getLine(), "0-based line of canvas.Canvas(...)");
    assertEquals("used here, in handler (57 samples)", used.getMessage());
  }

  @Test
  void relatedInformationPointsAtWhereTheModuleIsUsed() {
    Diagnostic reportlab = diagnostics(project().analyse("handler.py")).get(1);

    assertEquals(1, reportlab.getRelatedInformation().size());
    var used = reportlab.getRelatedInformation().get(0);
    assertEquals(root.resolve("handler.py").toUri().toString(), used.getLocation().getUri());
    assertEquals(7, used.getLocation().getRange().getStart().getLine());
    assertEquals("used here, in handler (57 samples)", used.getMessage());
  }

  @Test
  void positionsFollowTheCurrentTextNotTheProfiledLines() {
    // The profile recorded acme_analytics on line 2; the user has since added lines above it.
    TestProject project = project();
    WorkspaceSetup context = project.load();
    project.file("handler.py", "\"\"\"Docs.\"\"\"\n\n" + HANDLER);

    Diagnostic pandas = diagnostics(project.analyse("handler.py", context)).get(0);

    assertEquals(3, pandas.getRange().getStart().getLine());
    assertEquals("CS101", pandas.getCode().getLeft());
  }

  @Test
  void aFileNoProfileCoversHasNoDiagnostics() {
    DocumentAnalysis analysis = new TestProject(root).file("handler.py", HANDLER).withoutProfile()
        .analyse("handler.py");

    assertEquals(List.of(), diagnostics(analysis));
    assertEquals("no ColdSpy profile covers this file", analysis.unanalysedReason());
  }

  @Test
  void brokenPythonStillGetsDiagnosticsForItsSoundImports() {
    TestProject project = project();
    WorkspaceSetup context = project.load();
    project.file("handler.py", HANDLER.replace("def handler(event, context):", "def handler(event, context"));

    List<Diagnostic> diagnostics = diagnostics(project.analyse("handler.py", context));

    assertEquals("CS101", diagnostics.get(0).getCode().getLeft());
    assertEquals(1, diagnostics.get(0).getRange().getStart().getLine());
  }
}
