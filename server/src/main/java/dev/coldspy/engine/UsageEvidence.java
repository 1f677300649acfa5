package dev.coldspy.engine;

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
    long sampleIntervalUs) {

  /** No profile says anything about usage. */
  public static final UsageEvidence UNKNOWN = new UsageEvidence(false, false, 0, 0, 0, 0, 0, 0, 0);

  /** Fraction of cold starts that used the statement's modules. */
  public double usedFraction() {
    return coldStarts == 0 ? 0 : (double) coldStartsUsed / coldStarts;
  }

  /**
   * True when "not seen running" means "not used": an exact signal, or at least {@code densePerColdStart}
   * execution samples per cold start on average.
   */
  public boolean conclusive(int densePerColdStart) {
    return exact || (coldStarts > 0 && totalSamples >= (long) densePerColdStart * coldStarts);
  }

  /** Estimated time per cold start spent running the statement's modules, from samples; -1 when unknown. */
  public double executionUsPerColdStart() {
    if (sampleIntervalUs <= 0 || coldStarts == 0) {
      return -1;
    }
    return (double) samples * sampleIntervalUs / coldStarts;
  }
}
