package dev.coldspy.lsp;

import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LoadedModule;
import dev.coldspy.engine.PaidBy;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UseSite;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import java.util.Optional;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Hover on a profiled import: the cost breakdown (the heaviest modules it loaded, self vs cumulative, memory),
 * the finding if any, how often the code used it, the call paths that did, and which statement paid for
 * modules it shares with others.
 */
final class HoverService {
  private HoverService() {}

  static Hover hover(DocumentAnalysis analysis, Position position, CancelChecker cancel) {
    if (position == null) {
      return null;
    }
    Optional<AnalysedStatement> found = analysis.statementAt(position);
    if (found.isEmpty()) {
      return null;
    }
    cancel.checkCanceled();
    AnalysedStatement statement = found.get();
    Hover hover = new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown(statement.cost(), statement.finding())));
    hover.setRange(analysis.rangeOf(statement.span()));
    return hover;
  }

  static String markdown(StatementCost cost, Optional<Finding> finding) {
    StringBuilder md = new StringBuilder();
    md.append("**ColdSpy** · `").append(cost.statement()).append("`\n\n");
    md.append("**").append(Units.ms(cost.costMedianUs())).append("** per cold start (median; p90 ")
        .append(Units.ms(cost.costP90Us())).append("), ").append(cost.moduleCount())
        .append(cost.moduleCount() == 1 ? " module" : " modules").append(" loaded first");
    String memory = Format.memory(cost.rssDeltaBytes());
    if (memory != null) {
      md.append(", +").append(memory).append(" resident memory");
    }
    md.append("\n\n");
    finding.ifPresent(f -> md.append("**").append(f.rule().code()).append(' ').append(f.rule().pattern())
        .append("** — ").append(escape(f.detail())).append("\n\n"));
    String unused = Format.unusedParts(cost);
    if (!unused.isEmpty()) {
      md.append(unused).append('\n');
    }
    if (!cost.heaviest().isEmpty()) {
      md.append("| module | self | cumulative | memory |\n|---|---:|---:|---:|\n");
      for (LoadedModule module : cost.heaviest()) {
        String moduleMemory = Format.memory(module.rssDeltaBytes());
        md.append("| `").append(module.name()).append("` | ").append(Units.ms(module.selfUs()))
            .append(" | ").append(Units.ms(module.cumulativeUs())).append(" | ")
            .append(moduleMemory == null ? "–" : moduleMemory).append(" |\n");
      }
      md.append('\n');
    }
    md.append(Format.usageSentence(cost.usage(), Format.initUse(cost))).append("\n\n");
    if (finding.isPresent() && !finding.get().useSites().isEmpty()) {
      md.append("Top call paths using it:\n");
      for (UseSite use : finding.get().useSites()) {
        md.append("- `").append(use.location()).append("` in `").append(use.function()).append("` (")
            .append(Format.samples(use.samples())).append(")\n");
      }
      md.append('\n');
    }
    for (PaidBy paid : cost.paidBy()) {
      md.append("`").append(paid.module()).append("` was loaded first by `").append(paid.location())
          .append("`, which paid for it.\n\n");
    }
    return md.toString().stripTrailing();
  }

  private static String escape(String text) {
    return text.replace("*", "\\*").replace("_", "\\_");
  }
}
