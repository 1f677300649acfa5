package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;

/**
 * The classifier's decision for one import statement.
 *
 * @param rule the pattern
 * @param estimate what the pattern's remedy saves of init and adds to the first invocation per cold start
 *     (for {@link RuleCode#USAGE_UNKNOWN} an upper bound: the whole cost, in init)
 * @param savingFormula how the estimate was computed, in words and numbers
 * @param message the short message (at most {@link Classifier#MESSAGE_LIMIT} characters): what, the remedy
 *     and how much it saves
 * @param detail the long explanation for the hover: pattern, cost, evidence, advice and the estimate's parts
 * @param confident false when the evidence is thin (sparse samples, usage unknown) and the message says so
 * @param borderline true when the deciding ratio lies near its cut-off, on the side that alone would not give
 *     the finding: reported as information, and the message says so
 */
public record Verdict(
    RuleCode rule, Estimate estimate, String savingFormula, String message, String detail, boolean confident,
    boolean borderline) {

  public Verdict(RuleCode rule, Estimate estimate, String savingFormula, String message, String detail,
      boolean confident) {
    this(rule, estimate, savingFormula, message, detail, confident, false);
  }

  /** The net saving per cold start (init plus first invocation). */
  public double savingUs() {
    return estimate.netUs();
  }
}
