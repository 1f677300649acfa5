package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InlayHintServiceTest {
  @TempDir Path root;

  private static final String HANDLER =
      """
      import json
      from reportlab.pdfgen import (
          canvas,
      )
      import acme_analytics  # profiled
      import tiny_helpers


      def handler(event, context):
          return canvas.Canvas(json.dumps(event))
      """;

  private DocumentAnalysis analysis() {
    return new TestProject(root)
        .file("handler.py", HANDLER)
        .module("json", 2.5, "handler.py", 1)
        .module("reportlab", 1000, "handler.py", 2)
        .submodule("reportlab.pdfgen", "reportlab", 50)
        .module("acme_analytics", 312, "handler.py", 5)
        .module("tiny_helpers", 0.4, "handler.py", 6)
        .usedIn("tiny_helpers", 40)
        .usedIn("reportlab", 40)
        .useSite("handler.py", "handler", 9, "reportlab", 57)
        .analyse("handler.py");
  }

  private static InlayHint hint(int line, int character, String label) {
    InlayHint hint = new InlayHint();
    hint.setPosition(new Position(line, character));
    hint.setLabel(label);
    return hint;
  }

  private static List<InlayHint> withoutTooltips(List<InlayHint> hints) {
    return hints.stream()
        .map(h -> hint(h.getPosition().getLine(), h.getPosition().getCharacter(), h.getLabel().getLeft()))
        .toList();
  }

  @Test
  void statementsWithAFindingOrCostingAtLeastMinMsGetTheirCostAtTheEndOfTheirLastLine() {
    List<InlayHint> hints = InlayHintService.hints(analysis(), null, TestProject.NEVER_CANCELLED);

    // json (2.5 ms, no finding) is above min-ms (1 ms); the 0.4 ms tiny_helpers is not.
    assertEquals(
        List.of(
            hint(0, 11, "⏱ 2.5 ms"),
            hint(3, 1, "⏱ 1050.0 ms"),
            hint(4, 33, "⏱ 312.0 ms")),
        withoutTooltips(hints));
  }

  @Test
  void onlyHintsInTheRequestedRange() {
    Range secondStatement = new Range(new Position(1, 0), new Position(3, 5));

    List<InlayHint> hints = InlayHintService.hints(analysis(), secondStatement, TestProject.NEVER_CANCELLED);

    assertEquals(List.of(hint(3, 1, "⏱ 1050.0 ms")), withoutTooltips(hints));
  }

  @Test
  void theTooltipHoldsSamplesUsageMemoryAndWhoPaid() {
    InlayHint reportlab = InlayHintService.hints(analysis(), null, TestProject.NEVER_CANCELLED).get(1);

    assertEquals(
        "ColdSpy: 1050.0 ms per cold start (median; p90 1050.0 ms), 2 modules loaded first; "
            + "used in 40 of 40 cold starts; 57 of 57 samples; +95.4 MiB resident memory",
        reportlab.getTooltip().getLeft());
  }

  @Test
  void aStatementWhoseModulesAnotherLoadedNamesThePayerInItsTooltip() {
    DocumentAnalysis analysis = new TestProject(root)
        .file("handler.py", "import reportlab\nimport reportlab, acme_pdf\n\n\ndef handler(event, context):\n"
            + "    return 1\n")
        .module("reportlab", 900, "handler.py", 1)
        .module("acme_pdf", 300, "handler.py", 2)
        .analyse("handler.py");

    List<InlayHint> hints = InlayHintService.hints(analysis, null, TestProject.NEVER_CANCELLED);

    assertEquals("⏱ 300.0 ms", hints.get(1).getLabel().getLeft());
    assertTrue(hints.get(1).getTooltip().getLeft().endsWith("; reportlab paid by handler.py:1"),
        hints.get(1).getTooltip().getLeft());
  }

  @Test
  void anImportMovedIntoAFunctionSinceProfilingSaysSoUntilReProfiled() {
    DocumentAnalysis analysis = new TestProject(root)
        .file("handler.py", "import json\n\n\ndef handler(event, context):\n    import acme_analytics\n"
            + "    return json.dumps(event)\n")
        .module("json", 2, "handler.py", 1)
        .module("acme_analytics", 800, "handler.py", 2)
        .usedIn("json", 40)
        .analyse("handler.py");

    List<InlayHint> hints = InlayHintService.hints(analysis, null, TestProject.NEVER_CANCELLED);

    assertEquals(List.of(hint(0, 11, "⏱ 2.0 ms"), hint(4, 25, "✓ fixed since profiling — re-profile to confirm")),
        withoutTooltips(hints));
    assertEquals("ColdSpy: acme_analytics cost 800.0 ms per cold start at init when profiled; the code no longer"
        + " imports it there. A new profile confirms the saving.", hints.get(1).getTooltip().getLeft());
  }

  @Test
  void aRemovedImportSaysSoOnTheLineWhereItWasNamingTheModule() {
    // `import acme_analytics` was line 2 when profiled; removed since, line 2 is blank now.
    TestProject project = new TestProject(root)
        .file("handler.py", "import json\n\n\ndef handler(event, context):\n    return json.dumps(event)\n")
        .module("json", 2, "handler.py", 1)
        .module("acme_analytics", 800, "handler.py", 2)
        .usedIn("json", 40);
    DocumentAnalysis analysis = project.analyse("handler.py");

    List<InlayHint> hints = InlayHintService.hints(analysis, null, TestProject.NEVER_CANCELLED);

    assertEquals(List.of(hint(0, 11, "⏱ 2.0 ms"),
        hint(1, 0, "✓ acme_analytics: fixed since profiling — re-profile to confirm")), withoutTooltips(hints));
    assertEquals(List.of(), DiagnosticService.diagnostics(analysis, TestProject.NEVER_CANCELLED));
    assertEquals(0, StatusService.status(analysis.summary().orElseThrow()).getSavingMs());
  }
}
