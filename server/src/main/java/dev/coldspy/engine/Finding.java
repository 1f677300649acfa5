package dev.coldspy.engine;

import dev.coldspy.rules.FixKind;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.util.List;

/**
 * One reported import statement: its pattern, evidence, estimated saving and the fixes that may apply
 * (the fix engine still decides whether each is safe). The CLI, SARIF, the language server and the report
 * all show these.
 *
 * @param cost what the statement costs and loads
 * @param rule the pattern
 * @param severity from the estimated saving and the settings
 * @param message the full explanation: pattern, evidence, advice, saving
 * @param savingUs estimated import time saved per cold start if fixed
 * @param savingFormula how the saving was computed
 * @param confident false when the evidence is thin and the message says so
 * @param useSites where the application's code uses the modules (from the sampled call paths)
 * @param fixes fix kinds that may apply, in order of preference
 * @param knowledge the knowledge-file entry behind a feature-redundancy or library-choice finding, or null
 */
public record Finding(
    StatementCost cost,
    RuleCode rule,
    Severity severity,
    String message,
    double savingUs,
    String savingFormula,
    boolean confident,
    List<UseSite> useSites,
    List<FixKind> fixes,
    LibraryEntry knowledge) {
  public Finding {
    useSites = List.copyOf(useSites);
    fixes = List.copyOf(fixes);
  }

  /** Which statement the finding is about. */
  public StatementRef ref() {
    return cost.ref();
  }

  public String file() {
    return cost.file();
  }

  public int oneBasedLine() {
    return cost.oneBasedLine();
  }

  public int oneBasedColumn() {
    return cost.oneBasedColumn();
  }
}
