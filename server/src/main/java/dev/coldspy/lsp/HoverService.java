package dev.coldspy.lsp;

import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LoadedModule;
import dev.coldspy.engine.PaidBy;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UseSite;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Hover on a profiled import: what the short diagnostic above it does not say, once — a table first (cost per
 * cold start, usage k of n, the saving if the finding is fixed in init and first invocation, modules, memory),
 * then the engine's explanation with its evidence and advice, why no automatic fix applies (if none does),
 * the parts of its libraries that never ran, the heaviest modules it loaded, the call paths that used them and
 * which statement paid for modules it shares.
 * The diagnostic's message is never repeated: VS Code shows it just above the hover.
 */
final class HoverService {
  private HoverService() {}

  static Hover hover(DocumentAnalysis analysis, Position position, CancelChecker cancel) {
    if (position == null) {
      return null;
    }
    Optional<AnalysedStatement> found = analysis.statementAt(position);
    if (found.isEmpty()) {
      return analysis.compileFinding()
          .map(compile -> new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown(compile)),
              analysis.rangeOfLine(compile.oneBasedLine(), compile.oneBasedColumn())))
          .filter(hover -> CodeActionService.overlaps(hover.getRange(), new Range(position, position)))
          .orElse(null);
    }
    cancel.checkCanceled();
    AnalysedStatement statement = found.get();
    Optional<String> noFix = FixPlans.noFixReason(analysis, statement);
    Hover hover = new Hover(new MarkupContent(MarkupKind.MARKDOWN,
        markdown(statement.cost(), statement.finding(), noFix)));
    hover.setRange(analysis.rangeOf(statement.span()));
    return hover;
  }

  /** @param noFix why no automatic fix applies to the finding, when none does */
  static String markdown(StatementCost cost, Optional<Finding> finding, Optional<String> noFix) {
    StringBuilder md = new StringBuilder();
    md.append("**ColdSpy** · `").append(cost.statement()).append('`');
    finding.ifPresent(f -> md.append(" · ").append(f.rule().code()).append(' ').append(f.rule().pattern()));
    md.append("\n\n| | |\n|---|---|\n");
    row(md, "cost per cold start", Units.ms(cost.costMedianUs()) + " (median; p90 " + Units.ms(cost.costP90Us()) + ")");
    row(md, "usage", Format.usage(cost.usage()) + Format.initUse(cost));
    finding.ifPresent(f -> row(md, "saving if fixed", f.estimate().parts()));
    row(md, "modules loaded first", Units.count(cost.moduleCount()));
    String memory = Format.memory(cost.rssDeltaBytes());
    if (memory != null) {
      row(md, "resident memory", "+" + memory);
    }
    md.append('\n');
    // The engine's explanation (evidence and advice), which the short diagnostic message leaves out.
    finding.ifPresent(f -> md.append(escape(f.detail())).append("\n\n"));
    noFix.ifPresent(reason -> md.append("No automatic fix: ").append(escape(reason)).append("\n\n"));
    String unused = Format.unusedParts(cost);
    if (!unused.isEmpty()) {
      md.append(unused).append('\n');
    }
    if (!cost.heaviest().isEmpty()) {
      md.append("| heaviest modules | self | cumulative | memory |\n|---|---:|---:|---:|\n");
      for (LoadedModule module : cost.heaviest()) {
        String moduleMemory = Format.memory(module.rssDeltaBytes());
        md.append("| `").append(module.name()).append("` | ").append(Units.ms(module.selfUs()))
            .append(" | ").append(Units.ms(module.cumulativeUs())).append(" | ")
            .append(moduleMemory == null ? "–" : moduleMemory).append(" |\n");
      }
      md.append('\n');
    }
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

  /** CS107 on the handler's {@code def}: the compile time as a table, then the packages, cause and fix. */
  static String markdown(CompileFinding compile) {
    StringBuilder md = new StringBuilder();
    md.append("**ColdSpy** · ").append(compile.rule().code()).append(' ').append(compile.rule().pattern());
    md.append("\n\n| | |\n|---|---|\n");
    row(md, "compiling per cold start", Units.ms(compile.compileUs())
        + String.format(Locale.ROOT, " (%.0f %% of init)", compile.initShare() * 100));
    row(md, "modules compiled", Units.count(compile.modules()) + " (median over " + Units.count(compile.coldStarts())
        + (compile.coldStarts() == 1 ? " cold start)" : " cold starts)"));
    row(md, "saving if fixed", "~" + Units.ms(compile.savingUs()) + " per cold start");
    md.append('\n').append(escape(compile.detail()));
    return md.toString();
  }

  private static String escape(String text) {
    return text.replace("*", "\\*").replace("_", "\\_");
  }

  private static void row(StringBuilder md, String label, String value) {
    md.append("| ").append(label).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }
}
