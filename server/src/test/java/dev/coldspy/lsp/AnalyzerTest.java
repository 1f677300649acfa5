package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the analyzer re-uses a project analysis instead of running the parse and the engine again. */
class AnalyzerTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import json
      import acme_analytics


      def handler(event, context):
          return json.dumps(event)
      """;

  private final Analyzer analyzer = new Analyzer(new ServerLog(System.err));
  private WorkspaceSetup context;
  private String uri;

  private void load() {
    context = new TestProject(root)
        .file("handler.py", HANDLER)
        .module("json", 2, "handler.py", 1)
        .module("acme_analytics", 800, "handler.py", 2)
        .usedIn("json", 40)
        .load();
    uri = TextDocument.uriOf(root.resolve("handler.py"));
  }

  /** The profiled file as the workspace-wide diagnostics read it: from disk, not open. */
  private DocumentAnalysis fromDisk() {
    TextDocument onDisk = new TextDocument(uri, "python", HANDLER, TextDocument.ON_DISK);
    return analyzer.analyse(onDisk, WorkspaceSnapshot.EMPTY.withSetup(context), TestProject.NEVER_CANCELLED);
  }

  private DocumentAnalysis opened(String text, int version) {
    TextDocument open = new TextDocument(uri, "python", text, version);
    WorkspaceSnapshot snapshot = WorkspaceSnapshot.EMPTY.withSetup(context).withDocument(open);
    return analyzer.analyse(open, snapshot, TestProject.NEVER_CANCELLED);
  }

  private static List<Diagnostic> diagnostics(DocumentAnalysis analysis) {
    return DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED);
  }

  @Test
  void openingAFileUnchangedReusesTheAnalysisOfItsTextOnDisk() {
    load();
    DocumentAnalysis disk = fromDisk();

    DocumentAnalysis open = opened(HANDLER, 1);

    assertEquals(1, analyzer.projectAnalyses());
    assertSame(disk.project().orElseThrow(), open.project().orElseThrow());
    assertEquals(diagnostics(disk), diagnostics(open));
    dev.coldspy.project.ProjectAnalysis.AnalysedStatement acme = open.statements().get(1);
    assertSame(disk.fixPlans(disk.statements().get(1)), open.fixPlans(acme)); // planned once
  }

  @Test
  void closingAnEditedFileReusesTheAnalysisOfItsTextOnDisk() {
    load();
    DocumentAnalysis disk = fromDisk();
    String edited = HANDLER.replace("return json.dumps(event)", "return json.dumps(event, indent=2)");

    DocumentAnalysis open = opened(edited, 2);
    DocumentAnalysis closed = fromDisk();

    assertEquals(2, analyzer.projectAnalyses());
    assertNotSame(disk.project().orElseThrow(), open.project().orElseThrow());
    assertSame(disk.project().orElseThrow(), closed.project().orElseThrow());
    assertEquals(diagnostics(disk), diagnostics(closed));
  }

  @Test
  void aChangeOnDiskIsAnalysedAgain() throws Exception {
    load();
    fromDisk();
    Files.writeString(root.resolve("handler.py"), HANDLER.replace("import json\n", "import json  # noqa\n"));

    analyzer.filesChangedOnDisk();
    fromDisk();

    assertEquals(2, analyzer.projectAnalyses());
  }
}
