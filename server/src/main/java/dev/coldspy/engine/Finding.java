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
 * @param message the short message (at most {@link Classifier#MESSAGE_LIMIT} characters): what, the remedy,
 *     how much it saves
 * @param detail the long explanation (hover, JSON): pattern, cost, evidence, advice and the estimate's parts
 * @param estimate what the finding's remedy saves of init and adds to the first invocation per cold start
 * @param savingFormula how the estimate was computed
 * @param confident false when the evidence is thin and the message says so
 * @param borderline true when the deciding ratio lies near its cut-off (reported as information)
 * @param useSites where the application's code uses the modules (from the sampled call paths)
 * @param fixes fix kinds that may apply, in order of preference
 * @param knowledge the knowledge-file entry behind a feature-redundancy or library-choice finding, or null
 * @param whyNoFix when {@code fixes} is empty, why no fix can apply to the statement (for {@code coldspy fix}'s
 *     "not fixed" line); else empty
 * @param together for a finding whose saving needs other lines to go too: this line and those, each with the fix
 *     kinds that take it out of init (applied all or none, {@code coldspy fix}); else empty
 */
public record Finding(
    StatementCost cost,
    RuleCode rule,
    Severity severity,
    String message,
    String detail,
    Estimate estimate,
    String savingFormula,
    boolean confident,
    boolean borderline,
    List<UseSite> useSites,
    List<FixKind> fixes,
    LibraryEntry knowledge,
    String whyNoFix,
    List<TogetherLine> together) {
  public Finding {
    useSites = List.copyOf(useSites);
    fixes = List.copyOf(fixes);
    together = List.copyOf(together);
  }

  /**
   * One of the lines a finding's saving needs to go, and the fix kinds that may take it out of init, in order of
   * preference (the fix engine decides which is safe).
   *
   * @param file display path
   */
  public record TogetherLine(StatementRef ref, String file, int oneBasedLine, List<FixKind> fixes) {
    public TogetherLine {
      fixes = List.copyOf(fixes);
    }

    /** {@code file:line}, for messages. */
    public String where() {
      return file + ":" + oneBasedLine;
    }
  }

  /** The net saving per cold start of the finding's remedy: init saved minus what moves into the first call. */
  public double savingUs() {
    return estimate.netUs();
  }

  /**
   * What applying {@code kind} saves: removing or guarding the statement saves its whole cost in init,
   * replacing the library what the finding estimates; deferring (lazy-load, PEP 810) saves the cost in init and moves it into
   * the first invocation of the cold starts that use the statement — nothing, for an import every cold start
   * uses.
   */
  public Estimate estimateFor(FixKind kind) {
    return switch (kind) {
      case LAZY_LOAD, PEP810_LAZY, LAZY_REEXPORT -> Estimate.deferring(cost.costMedianUs(), cost.usage());
      case REMOVE, TYPE_CHECKING_GUARD -> Estimate.removing(cost.costMedianUs());
      case REPLACE -> estimate;
    };
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
