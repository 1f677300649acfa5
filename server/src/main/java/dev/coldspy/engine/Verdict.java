package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;

/**
 * The classifier's decision for one import statement.
 *
 * @param rule the pattern
 * @param savingUs estimated import time saved per cold start if fixed (for {@link RuleCode#USAGE_UNKNOWN} an
 *     upper bound: the whole cost)
 * @param savingFormula how {@code savingUs} was computed, in words and numbers
 * @param message the finding's message: pattern, evidence, advice and saving
 * @param confident false when the evidence is thin (sparse samples, usage unknown) and the message says so
 */
public record Verdict(
    RuleCode rule, double savingUs, String savingFormula, String message, boolean confident) {}
