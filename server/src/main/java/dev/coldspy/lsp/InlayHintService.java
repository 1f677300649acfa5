package dev.coldspy.lsp;

import dev.coldspy.engine.FixedSinceProfiling;
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
 * An inlay hint at the end of the import statements worth a glance — those with a finding, or costing at least
 * the project's {@code min-ms} — with the cost per cold start ({@code ⏱ 1.05 s}); samples, usage and which
 * statement paid for shared modules are in the hint's tooltip, not in the line. An import moved out of init
 * since the profile was taken says {@code ✓ fixed since profiling — re-profile to confirm}.
 */
final class InlayHintService {
  private InlayHintService() {}

  static List<InlayHint> hints(DocumentAnalysis analysis, Range range, CancelChecker cancel) {
    List<InlayHint> hints = new ArrayList<>();
    double minUs = analysis.minMs() * 1000;
    for (AnalysedStatement statement : analysis.statements()) {
      cancel.checkCanceled();
      if (statement.finding().isEmpty() && statement.cost().costMedianUs() < minUs) {
        continue;
      }
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
    for (FixedSinceProfiling fixed : analysis.fixedSinceProfiling()) {
      Position at = analysis.endOfOneBasedLine(fixed.oneBasedLine());
      if (range != null && !within(at, range)) {
        continue;
      }
      InlayHint hint = new InlayHint();
      hint.setPosition(at);
      // a removed import's hint sits on the line where it was, which may hold other code now: it names the module
      hint.setLabel("✓ " + (fixed.removed() ? fixed.subject() + ": " : "") + FixedSinceProfiling.HINT);
      hint.setPaddingLeft(true);
      hint.setTooltip("ColdSpy: " + fixed.subject() + " cost " + Units.ms(fixed.costUs()) + " per cold start at init"
          + " when profiled; the code no longer imports it there. A new profile confirms the saving.");
      hints.add(hint);
    }
    return hints;
  }

  /** {@code ⏱ 1.05 s}: the cost per cold start, nothing else on the line. */
  static String label(StatementCost cost) {
    return "⏱ " + Units.ms(cost.costMedianUs());
  }

  /**
   * The numbers behind the label: cost spread, modules, usage with samples, memory, the parts that never ran, who
   * paid for shared modules.
   */
  static String tooltip(StatementCost cost) {
    StringBuilder tooltip = new StringBuilder("ColdSpy: ").append(Units.ms(cost.costMedianUs()))
        .append(" per cold start (median; p90 ").append(Units.ms(cost.costP90Us())).append("), ")
        .append(cost.moduleCount()).append(cost.moduleCount() == 1 ? " module" : " modules").append(" loaded first; ")
        .append(Format.usage(cost.usage())).append(Format.initUse(cost));
    String memory = Format.memory(cost.rssDeltaBytes());
    if (memory != null) {
      tooltip.append("; +").append(memory).append(" resident memory");
    }
    if (!cost.unusedParts().isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (UnusedPart part : cost.unusedParts()) {
        parts.add(part.module() + " " + Units.ms(part.costUs()) + " (" + part.chain() + ")");
      }
      tooltip.append("; never ran, heaviest first: ").append(String.join("; ", parts));
    }
    for (PaidBy payer : cost.paidBy()) {
      tooltip.append("; ").append(payer.module()).append(" paid by ").append(fileName(payer.file())).append(':')
          .append(payer.oneBasedLine());
    }
    return tooltip.toString();
  }

  private static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  private static boolean within(Position position, Range range) {
    return CodeActionService.overlaps(new Range(position, position), range);
  }
}
