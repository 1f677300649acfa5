package dev.coldspy.profile;

/**
 * Cold starts in which a module's non-use rests on execution-phase samples alone, and their samples: "not seen
 * running" there means "not used" only when the samples are dense enough to have caught it running.
 *
 * @param coldStarts how many cold starts
 * @param executionSamples their execution-phase samples, all modules together
 */
public record SampledColdStarts(int coldStarts, long executionSamples) {
  /** No cold start. */
  public static final SampledColdStarts NONE = new SampledColdStarts(0, 0);

  /** True when there is none, or they hold at least {@code perColdStart} samples each on average. */
  public boolean dense(int perColdStart) {
    return executionSamples >= (long) perColdStart * coldStarts;
  }
}
