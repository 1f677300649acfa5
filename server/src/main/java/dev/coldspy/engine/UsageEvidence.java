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
 * @param coldStartsJudgedBySamples cold starts whose non-use rests on samples alone (those without an exact
 *     signal, and those whose exact signal could not tell about the statement's modules), whose density decides
 *     whether "not seen" means "not used"
 * @param samplesJudged the execution-phase samples of those cold starts
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
    int coldStartsJudgedBySamples,
    long samplesJudged) {

  /** No profile says anything about usage. */
  public static final UsageEvidence UNKNOWN = new UsageEvidence(false, false, 0, 0, 0, 0, 0, 0, 0);

  /** Evidence from one kind of cold start: all of them are judged by the same samples. */
  public UsageEvidence(boolean known, boolean exact, int coldStartsUsed, int coldStarts, int invocationsUsed,
      int invocationsObserved, long samples, long totalSamples, long sampleIntervalUs) {
    this(known, exact, coldStartsUsed, coldStarts, invocationsUsed, invocationsObserved, samples, totalSamples,
        sampleIntervalUs, coldStarts, totalSamples);
  }

  /** Fraction of cold starts that used the statement's modules. */
  public double usedFraction() {
    return coldStarts == 0 ? 0 : (double) coldStartsUsed / coldStarts;
  }

  /**
   * True when "not seen running" means "not used": an exact signal in every cold start, or at least {@code
   * densePerColdStart} execution samples on average in the cold starts judged by samples alone.
   */
  public boolean conclusive(int densePerColdStart) {
    return exact || (coldStartsJudgedBySamples > 0
        && samplesJudged >= (long) densePerColdStart * coldStartsJudgedBySamples);
  }

  /** Estimated time per cold start spent running the statement's modules, from samples; -1 when unknown. */
  public double executionUsPerColdStart() {
    if (sampleIntervalUs <= 0 || coldStarts == 0) {
      return -1;
    }
    return (double) samples * sampleIntervalUs / coldStarts;
  }
}
