package dev.coldspy.output;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.Units;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code coldspy check}'s text output: one finding per line in the compiler convention
 * {@code path:line:col: CODE message}, then a summary per handler with its notes, the budget verdict and a
 * count.
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
    }
    for (Analysis analysis : analyses) {
      out.println(summaryLine(analysis.summary()));
      for (String note : analysis.summary().notes()) {
        out.println("  note: " + note);
      }
    }
    boolean overBudget = false;
    for (Analysis analysis : analyses) {
      if (budgetMs != null && analysis.summary().exceedsBudget(budgetMs)) {
        out.println(overBudget(analysis.summary(), budgetMs));
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

  private static String summaryLine(HandlerSummary summary) {
    return summary.app() + ": init " + Units.ms(summary.initUs().median()) + " median (p90 "
        + Units.ms(summary.initUs().p90()) + ") over " + summary.coldStarts()
        + (summary.coldStarts() == 1 ? " cold start" : " cold starts") + "; flagged imports "
        + Units.ms(summary.attributableUs()) + "; estimated saving " + Units.ms(summary.savingUs())
        + " per cold start" + (summary.saving().initUs() > 0 ? " (" + summary.saving().split() + ")" : "");
  }
}
