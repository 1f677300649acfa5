package dev.coldspy.output;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.Units;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code coldspy check}'s text output: one finding per line in the compiler convention
 * {@code path:line:col: CODE message} (the message at most {@link dev.coldspy.engine.Classifier#MESSAGE_LIMIT}
 * characters), then a summary per handler with its notes, the budget verdict and a count, in {@link
 * TerminalLines}.
 */
public final class TextOutput {
  private TextOutput() {}

  /**
   * Writes the findings and summaries.
   *
   * @param budgetMs the init-time budget, or null when none is set
   */
  public static void write(List<Analysis> analyses, Double budgetMs, PrintWriter out) {
    int count = 0;
    TreeSet<String> files = new TreeSet<>();
    for (Analysis analysis : analyses) {
      for (Finding finding : analysis.findings()) {
        out.println(finding.file() + ":" + finding.oneBasedLine() + ":" + finding.oneBasedColumn() + ": "
            + finding.rule().code() + " " + finding.message());
        files.add(finding.file());
        count++;
      }
      CompileFinding compile = analysis.compile();
      if (compile != null && compile.file() != null) {
        out.println(compile.file() + ":" + compile.oneBasedLine() + ":" + compile.oneBasedColumn() + ": "
            + compile.rule().code() + " " + compile.message());
        files.add(compile.file());
        count++;
      }
    }
    for (Analysis analysis : analyses) {
      summary(analysis.summary(), out);
      CompileFinding compile = analysis.compile();
      if (compile != null && compile.file() == null) {
        TerminalLines.print(out, "  " + compile.rule().code() + " ", compile.message());
        count++;
      }
      for (String note : analysis.summary().notes()) {
        TerminalLines.print(out, "  note: ", note);
      }
    }
    boolean overBudget = false;
    for (Analysis analysis : analyses) {
      if (budgetMs != null && analysis.summary().exceedsBudget(budgetMs)) {
        TerminalLines.print(out, "", overBudget(analysis.summary(), budgetMs));
        overBudget = true;
      }
    }
    if (count > 0) {
      out.println("Found " + count + (count == 1 ? " finding" : " findings") + " in " + files.size()
          + (files.size() == 1 ? " file." : " files."));
    } else if (!overBudget) {
      out.println("All checks passed!");
    }
  }

  /** Why a handler fails its init-time budget, one line (text output; a SARIF notification). */
  static String overBudget(HandlerSummary summary, double budgetMs) {
    return summary.app() + ": init " + Units.ms(summary.initUs().median()) + " (median) exceeds the budget of "
        + Units.ms(budgetMs * 1000);
  }

  /** The handler's figures: what init costs, then indented under it what fixing would save and compiling costs. */
  private static void summary(HandlerSummary summary, PrintWriter out) {
    TerminalLines.print(out, "", summary.app() + ": init " + Units.ms(summary.initUs().median()) + " median (p90 "
        + Units.ms(summary.initUs().p90()) + ") over " + summary.coldStarts()
        + (summary.coldStarts() == 1 ? " cold start" : " cold starts") + "; flagged imports "
        + Units.ms(summary.attributableUs()));
    TerminalLines.print(out, "  ", "estimated saving " + Units.ms(summary.savingUs()) + " per cold start"
        + (summary.saving().initUs() > 0 ? " (" + summary.saving().split() + ")" : ""));
    if (summary.compileUs() > 0) {
      TerminalLines.print(out, "  ", "compiling modules from source " + Units.ms(summary.compileUs())
          + " per cold start");
    }
  }
}
