package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coldspy.engine.Finding;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoverServiceTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import json
      from reportlab.pdfgen import canvas
      import reportlab.lib


      def handler(event, context):
          if event.get("pdf"):
              return canvas.Canvas("out.pdf")
          return json.dumps(event)
      """;

  private TestProject project() {
    return new TestProject(root)
        .file("handler.py", HANDLER)
        .module("json", 2, "handler.py", 1)
        .module("reportlab", 300, "handler.py", 2)
        .submodule("reportlab.pdfgen", "reportlab", 100)
        .submodule("reportlab.lib", "reportlab", 40)
        .usedIn("json", 40)
        .usedIn("reportlab", 2)
        .useSite("handler.py", "handler", 8, "reportlab", 57);
  }

  private Hover hoverAt(String marker) {
    TestProject project = project();
    DocumentAnalysis analysis = project.analyse("handler.py");
    return HoverService.hover(analysis, project.positionOf("handler.py", marker), TestProject.NEVER_CANCELLED);
  }

  @Test
  void hoverOnAnImportShowsTheTableFirstThenTheModulesAndTheCallPaths() {
    Hover hover = hoverAt("pdfgen");

    assertEquals(new Range(new Position(1, 0), new Position(1, 35)), hover.getRange());
    assertEquals(
        List.of(
            "**ColdSpy** · `from reportlab.pdfgen import canvas` · CS102 rarely used",
            "",
            "| | |",
            "|---|---|",
            "| cost per cold start | 440.0 ms (median; p90 440.0 ms) |",
            "| usage | used in 2 of 40 cold starts; 57 of 57 samples |",
            "| saving if fixed | init −440.0 ms, first invocation +22.0 ms, cold start −418.0 ms |",
            "| modules loaded first | 3 |",
            "| resident memory | +28.6 MiB |",
            "",
            "rarely used: reportlab costs 440.0 ms per cold start (p90 440.0 ms); used in 2 of 40 cold starts (2 of 40"
                + " invocations; 57 of 57 execution samples); lazy-load it where it is used (handler.py:8). Per cold"
                + " start: init −440.0 ms, first invocation +22.0 ms, cold start −418.0 ms (cost 440.0 ms × 38 of 40"
                + " cold starts that do not use it).",
            "",
            "| heaviest modules | self | cumulative | memory |",
            "|---|---:|---:|---:|",
            "| `reportlab` | 300.0 ms | 440.0 ms | 28.6 MiB |",
            "| `reportlab.pdfgen` | 100.0 ms | 100.0 ms | 9.5 MiB |",
            "| `reportlab.lib` | 40.0 ms | 40.0 ms | 3.8 MiB |",
            "",
            "Top call paths using it:",
            "- `handler.py:8` in `handler` (57 samples)"),
        hover.getContents().getRight().getValue().lines().toList());
  }

  @Test
  void theHoverNeverRepeatsTheDiagnosticsMessage() {
    String markdown = hoverAt("pdfgen").getContents().getRight().getValue();

    for (String sentence : finding().message().split("(?<=[.;])\\s+")) {
      assertFalse(sentence.length() > 20 && markdown.contains(sentence.strip()), sentence);
    }
  }

  private Finding finding() {
    TestProject project = project();
    return project.analyse("handler.py").statementAt(project.positionOf("handler.py", "pdfgen")).orElseThrow()
        .finding().orElseThrow();
  }

  @Test
  void hoverOnAStatementWhoseModulesAnotherLoadedSaysWhoPaid() {
    String markdown = hoverAt("reportlab.lib").getContents().getRight().getValue();

    assertEquals(
        "`reportlab.lib` was loaded first by `handler.py:2`, which paid for it.",
        markdown.lines().reduce((first, second) -> second).orElseThrow());
  }

  @Test
  void callPathsFollowTheCodeWhenLinesAreInsertedAfterProfiling() {
    TestProject project = project().file("handler.py", "\"\"\"Renders reports.\"\"\"\n" + HANDLER);
    DocumentAnalysis analysis = project.analyse("handler.py");
    String markdown = HoverService.hover(analysis, project.positionOf("handler.py", "from reportlab"),
        TestProject.NEVER_CANCELLED).getContents().getRight().getValue();

    assertEquals("- `handler.py:9` in `handler` (57 samples)",
        markdown.lines().filter(line -> line.startsWith("- ")).findFirst().orElseThrow());
  }

  @Test
  void noHoverAwayFromImports() {
    assertNull(hoverAt("def handler"));
  }

  @Test
  void anOutOfRangePositionIsNoHover() {
    DocumentAnalysis analysis = project().analyse("handler.py");
    assertNull(HoverService.hover(analysis, new Position(999, 999), TestProject.NEVER_CANCELLED));
    assertNull(HoverService.hover(analysis, new Position(-1, -5), TestProject.NEVER_CANCELLED));
  }
}
