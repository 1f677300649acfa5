package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  void everyProfiledImportGetsItsCostAtTheEndOfItsLastLine() {
    List<InlayHint> hints = InlayHintService.hints(analysis(), null, TestProject.NEVER_CANCELLED);

    assertEquals(
        List.of(
            hint(0, 11, "⏱ 2.5 ms · 0 samples"),
            hint(3, 1, "⏱ 1050.0 ms · 57 samples"),
            hint(4, 33, "⏱ 312.0 ms · 0 samples")),
        withoutTooltips(hints));
  }

  @Test
  void onlyHintsInTheRequestedRange() {
    Range secondStatement = new Range(new Position(1, 0), new Position(3, 5));

    List<InlayHint> hints = InlayHintService.hints(analysis(), secondStatement, TestProject.NEVER_CANCELLED);

    assertEquals(List.of(hint(3, 1, "⏱ 1050.0 ms · 57 samples")), withoutTooltips(hints));
  }

  @Test
  void theTooltipExplainsTheNumbers() {
    InlayHint reportlab = InlayHintService.hints(analysis(), null, TestProject.NEVER_CANCELLED).get(1);

    assertEquals(
        "ColdSpy: 1050.0 ms per cold start (median; p90 1050.0 ms), 2 modules loaded first; "
            + "used in 40 of 40 cold starts; 57 of 57 samples; +95.4 MiB resident memory",
        reportlab.getTooltip().getLeft());
  }
}
