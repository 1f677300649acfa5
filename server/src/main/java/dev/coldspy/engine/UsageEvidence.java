package dev.coldspy.engine;

import dev.coldspy.profile.SampledColdStarts;

/**
 * How much the profiles say about the use of one import statement's modules during the execution phase.
 * Import-phase samples never count as use.
 *
 * @param known false when no profile carries usage evidence (e.g. only {@code -X importtime} logs)
 * @param exact true when an exact usage signal (sys.monitoring, code counters, setprofile) observed every cold
 *     start with usage evidence and could tell about every module of the statement
 * @param coldStartsUsed cold starts in which the statement's modules ran
 * @param coldStarts cold starts with usage evidence (the denominator)
 * @param invocationsUsed invocations in which the exact signal saw the modules run
 * @param invocationsObserved invocations observed by the exact signal
 * @param samples execution-phase samples whose stack holds code of the statement's modules
 * @param totalSamples all execution-phase samples
 * @param sampleIntervalUs the sampling interval, or 0 when unknown
 * @param withoutExactSignal the cold starts without an exact signal and their samples, whose density decides
 *     whether "not seen" means "not used" there (all cold starts when no profile has an exact signal)
 * @param unseen the cold starts whose exact signal could not tell about the statement's modules and their
 *     samples, judged by their own density (a dense group elsewhere cannot vouch for them)
 */
public record UsageEvidence(
    boolean known,
    boolean exact,
    int coldStartsUsed,
    int coldStarts,
    int invocationsUsed,
    int invocationsObserved,
    long samples,
    long totalSamples,
    long sampleIntervalUs,
    SampledColdStarts withoutExactSignal,
    SampledColdStarts unseen) {

  /** Evidence from one kind of cold start: all of them are judged by the same samples. */
  public UsageEvidence(boolean known, boolean exact, int coldStartsUsed, int coldStarts, int invocationsUsed,
      int invocationsObserved, long samples, long totalSamples, long sampleIntervalUs) {
    this(known, exact, coldStartsUsed, coldStarts, invocationsUsed, invocationsObserved, samples, totalSamples,
        sampleIntervalUs, new SampledColdStarts(coldStarts, totalSamples), SampledColdStarts.NONE);
  }

  /** Fraction of cold starts that used the statement's modules. */
  public double usedFraction() {
    return coldStarts == 0 ? 0 : (double) coldStartsUsed / coldStarts;
  }

  /**
   * True when "not seen running" means "not used": an exact signal that could tell in every cold start, or at
   * least {@code densePerColdStart} execution samples on average in each group of cold starts judged by samples
   * alone (those without an exact signal; those whose signal could not tell).
   */
  public boolean conclusive(int densePerColdStart) {
    return exact || (withoutExactSignal.coldStarts() + unseen.coldStarts() > 0
        && withoutExactSignal.dense(densePerColdStart) && unseen.dense(densePerColdStart));
  }

  /** Estimated time per cold start spent running the statement's modules, from samples; -1 when unknown. */
  public double executionUsPerColdStart() {
    if (sampleIntervalUs <= 0 || coldStarts == 0) {
      return -1;
    }
    return (double) samples * sampleIntervalUs / coldStarts;
  }
}
