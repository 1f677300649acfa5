package dev.coldspy.profile;

/**
 * Execution-phase usage of one module over the cold starts of a {@link ProfileSet}. Import-phase samples
 * never count as use.
 *
 * <p>Read "used in {@link #coldStartsUsed()} of {@link #coldStartsWithEvidence()} cold starts". Cold starts
 * whose profile carries no usage evidence at all (importtime logs) are not in the denominator; when it is 0,
 * usage is unknown and must not be reported as "never used".
 *
 * @param coldStartsWithEvidence cold starts whose profile has samples or an exact usage signal
 * @param coldStartsWithExactSignal cold starts whose profile has an exact usage signal
 * @param coldStartsExecuted cold starts in which the exact signal saw the module's code run
 * @param coldStartsSampled cold starts with at least one execution-phase sample in the module
 * @param coldStartsUsed cold starts executed or sampled
 * @param executionSamples execution-phase samples in the module, summed over all cold starts
 * @param invocationsObserved invocations recorded with an exact usage signal
 * @param invocationsExecuted of those, the invocations in which the module's code ran
 * @param coldStartsUnseen cold starts with an exact signal that could not tell whether the module ran, and no
 *     other sign of its use: "not executed" there is no proof of non-use
 */
public record UsageStats(
    int coldStartsWithEvidence,
    int coldStartsWithExactSignal,
    int coldStartsExecuted,
    int coldStartsSampled,
    int coldStartsUsed,
    long executionSamples,
    int invocationsObserved,
    int invocationsExecuted,
    int coldStartsUnseen) {

  /** Statistics whose exact signal, where there is one, could always tell. */
  public UsageStats(int coldStartsWithEvidence, int coldStartsWithExactSignal, int coldStartsExecuted,
      int coldStartsSampled, int coldStartsUsed, long executionSamples, int invocationsObserved,
      int invocationsExecuted) {
    this(coldStartsWithEvidence, coldStartsWithExactSignal, coldStartsExecuted, coldStartsSampled, coldStartsUsed,
        executionSamples, invocationsObserved, invocationsExecuted, 0);
  }

  /** True when at least one cold start says something about this module's usage. */
  public boolean known() {
    return coldStartsWithEvidence > 0;
  }

  /** Fraction of cold starts with evidence in which the module was used; 0 when unknown. */
  public double usedFraction() {
    return coldStartsWithEvidence == 0 ? 0 : (double) coldStartsUsed / coldStartsWithEvidence;
  }
}
