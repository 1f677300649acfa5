package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.InlayHint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The editor on waste inside a library: {@code import igraph} runs igraph's graph code, never the drawing
 * sub-package its {@code __init__} imports (with matplotlib below it). The diagnostic sits on the user's line,
 * relates to igraph's own line, and the hover and the inlay hint's tooltip list the unused part first.
 */
class LibraryWasteServicesTest {
  private static final String SITE = "/var/lang/lib/python3.11/site-packages/";
  private static final String HANDLER = """
      import igraph


      def handler(event, context):
          return igraph.Graph(event["edges"]).degree()
      """;

  @TempDir Path root;

  private DocumentAnalysis analysis() {
    return new TestProject(root)
        .file("handler.py", HANDLER)
        .libraryModule("igraph", null, 10, SITE + "igraph/__init__.py", "/var/task/handler.py", 1)
        .libraryModule("igraph.graph", "igraph", 3, SITE + "igraph/graph.py", SITE + "igraph/__init__.py", 2)
        .libraryModule("igraph.drawing", "igraph", 2, SITE + "igraph/drawing/__init__.py",
            SITE + "igraph/__init__.py", 3)
        .libraryModule("matplotlib", "igraph.drawing", 300, SITE + "matplotlib/__init__.py",
            SITE + "igraph/drawing/__init__.py", 4)
        .usedIn("igraph.graph", TestProject.COLD_STARTS)
        .analyse("handler.py");
  }

  @Test
  void theDiagnosticOnTheUsersLineRelatesToTheLibrarysOwnLine() {
    List<Diagnostic> diagnostics = DiagnosticService.diagnostics(analysis(), TestProject.NEVER_CANCELLED);
    assertEquals(1, diagnostics.size());
    Diagnostic diagnostic = diagnostics.get(0);
    assertEquals("CS106", diagnostic.getCode().getLeft());
    assertEquals(0, diagnostic.getRange().getStart().getLine());
    assertEquals("igraph loads igraph.drawing, which never ran (saves ~302 ms)", diagnostic.getMessage().getLeft());
    DiagnosticRelatedInformation library = diagnostic.getRelatedInformation().get(0);
    assertEquals(Path.of(SITE + "igraph/__init__.py").toUri().toString(), library.getLocation().getUri());
    assertEquals(2, library.getLocation().getRange().getStart().getLine());
    assertEquals("imports igraph.drawing (302.0 ms, never ran): igraph/__init__.py:3 → igraph.drawing → matplotlib",
        library.getMessage());
  }

  @Test
  void theHoverListsTheUnusedPartBeforeTheHeaviestModules() {
    DocumentAnalysis analysis = analysis();
    String hover = HoverService.hover(analysis, new org.eclipse.lsp4j.Position(0, 8), TestProject.NEVER_CANCELLED)
        .getContents().getRight().getValue();
    int unused = hover.indexOf("Never ran, heaviest first:\n- `igraph.drawing` 302.0 ms (2 modules) —"
        + " `igraph/__init__.py:3 → igraph.drawing → matplotlib`");
    assertTrue(unused > 0, hover);
    assertTrue(unused < hover.indexOf("| heaviest modules | self |"), hover);
  }

  @Test
  void theInlayHintsTooltipNamesTheUnusedPart() {
    List<InlayHint> hints = InlayHintService.hints(analysis(), null, TestProject.NEVER_CANCELLED);
    String tooltip = hints.get(0).getTooltip().getLeft();
    assertTrue(tooltip.endsWith("; never ran, heaviest first: igraph.drawing 302.0 ms (igraph/__init__.py:3 →"
        + " igraph.drawing → matplotlib)"), tooltip);
  }

  @Test
  void aModuleLevelCallThatImportsGetsItsDiagnosticHoverAndNoQuickFix() {
    String handler = """
        import loader

        MODEL = loader.load("model.pkl")


        def handler(event, context):
            return MODEL.predict(event)
        """;
    DocumentAnalysis analysis = new TestProject(root)
        .file("handler.py", handler)
        .file("loader.py", "import pickle\n\n\ndef load(path):\n    with open(path, 'rb') as f:\n        return pickle.load(f)\n")
        .module("loader", 1, "handler.py", 1)
        .libraryModule("sklearn", null, 200, SITE + "sklearn/__init__.py", "/var/lang/lib/python3.11/pickle.py", 1580)
        .importedByCallAt("handler.py", 3)
        .libraryModule("sklearn.tree", "sklearn", 50, SITE + "sklearn/tree/__init__.py", SITE + "sklearn/__init__.py", 70)
        .libraryModule("sklearn.datasets", "sklearn", 120, SITE + "sklearn/datasets/__init__.py",
            SITE + "sklearn/__init__.py", 80)
        .libraryModule("scipy", "sklearn.datasets", 100, SITE + "scipy/__init__.py",
            SITE + "sklearn/datasets/__init__.py", 5)
        .usedIn("sklearn.tree", TestProject.COLD_STARTS)
        .usedIn("loader", TestProject.COLD_STARTS)
        .analyse("handler.py");
    List<Diagnostic> diagnostics = DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED);
    assertEquals(1, diagnostics.size(), diagnostics.toString());
    Diagnostic model = diagnostics.get(0);
    assertEquals(2, model.getRange().getStart().getLine());
    assertEquals("`MODEL = loader.load(\"model.pkl\")` loads sklearn.datasets, which never ran (saves ~220 ms)",
        model.getMessage().getLeft());
    String hover = HoverService.hover(analysis, new org.eclipse.lsp4j.Position(2, 3), TestProject.NEVER_CANCELLED)
        .getContents().getRight().getValue();
    assertTrue(hover.contains("No automatic fix: none applies to this statement; follow the advice above"), hover);
    assertTrue(hover.contains("- `sklearn.datasets` 220.0 ms (2 modules) — `sklearn/__init__.py:80 → sklearn.datasets`"),
        hover);
    assertEquals(List.of("ColdSpy: Suppress CS106 on this line"), CodeActionService.actions(analysis, model.getRange(),
        TestProject.NEVER_CANCELLED).stream().map(action -> action.getRight().getTitle()).toList());
  }

  @Test
  void anImportUsedByAFunctionModuleLevelCodeCallsIsNotNeverUsedEvenWithoutTheProfilesRecordOfIt() {
    String handler = """
        from openpyxl import load_workbook


        def load_tariffs(path):
            return {row[0]: row[1] for row in load_workbook(path).active.iter_rows(values_only=True)}


        TARIFFS = load_tariffs("tariffs.xlsx")


        def handler(event, context):
            return TARIFFS.get(event["zone"])
        """;
    DocumentAnalysis analysis = new TestProject(root)
        .file("handler.py", handler)
        .module("openpyxl", 600, "handler.py", 1)
        .analyse("handler.py");
    assertEquals(List.of(), DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED));
  }
}
