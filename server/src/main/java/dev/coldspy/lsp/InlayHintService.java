package dev.coldspy.lsp;

import dev.coldspy.engine.PaidBy;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * An inlay hint at the end of every import statement the profiles know, flagged or not: what it costs per
 * cold start and how many execution samples its modules had ({@code ⏱ 1.05 s · 57 samples}).
 */
final class InlayHintService {
  private InlayHintService() {}

  static List<InlayHint> hints(DocumentAnalysis analysis, Range range, CancelChecker cancel) {
    List<InlayHint> hints = new ArrayList<>();
    for (AnalysedStatement statement : analysis.statements()) {
      cancel.checkCanceled();
      Position at = analysis.endOfLastLine(statement.span());
      if (range != null && !within(at, range)) {
        continue;
      }
      InlayHint hint = new InlayHint();
      hint.setPosition(at);
      hint.setLabel(label(statement.cost()));
      hint.setPaddingLeft(true);
      hint.setTooltip(tooltip(statement.cost()));
      hints.add(hint);
    }
    return hints;
  }

  /** {@code ⏱ 1.05 s · 57 samples}; a statement whose modules another loaded first says who paid. */
  static String label(StatementCost cost) {
    StringBuilder label = new StringBuilder("⏱ ").append(Units.ms(cost.costMedianUs()));
    if (cost.usage().known() && cost.usage().totalSamples() > 0) {
      label.append(" · ").append(Format.samples(cost.usage().samples()));
    }
    if (cost.costMedianUs() == 0 && !cost.paidBy().isEmpty()) {
      PaidBy payer = cost.paidBy().get(0);
      label.append(" · paid by ").append(fileName(payer.file())).append(':').append(payer.oneBasedLine());
    }
    return label.toString();
  }

  private static String tooltip(StatementCost cost) {
    String tooltip = "ColdSpy: " + Units.ms(cost.costMedianUs()) + " per cold start (median; p90 "
        + Units.ms(cost.costP90Us()) + "), " + cost.moduleCount()
        + (cost.moduleCount() == 1 ? " module" : " modules") + " loaded first; " + Format.usage(cost.usage())
        + Format.initUse(cost);
    String memory = Format.memory(cost.rssDeltaBytes());
    if (memory != null) {
      tooltip += "; +" + memory + " resident memory";
    }
    if (!cost.unusedParts().isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (UnusedPart part : cost.unusedParts()) {
        parts.add(part.module() + " " + Units.ms(part.costUs()) + " (" + part.chain() + ")");
      }
      tooltip += "; never ran, heaviest first: " + String.join("; ", parts);
    }
    return tooltip;
  }

  private static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  private static boolean within(Position position, Range range) {
    return CodeActionService.overlaps(new Range(position, position), range);
  }
}
