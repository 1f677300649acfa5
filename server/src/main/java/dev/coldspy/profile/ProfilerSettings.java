package dev.coldspy.profile;

import java.util.Objects;

/**
 * How the agent was configured for the run.
 *
 * @param sampleIntervalUs sampling interval in microseconds, or null when unknown (importtime logs)
 * @param clock {@code "wall"} or {@code "cpu"}, or null when unknown
 * @param usageSignal how executed module code was detected
 * @param memoryMethod {@code "rss"} or {@code "none"}
 * @param coldStartsRequested cold starts the run asked for (the profile may hold fewer if some failed)
 */
public record ProfilerSettings(
    Long sampleIntervalUs, String clock, UsageSignal usageSignal, String memoryMethod, int coldStartsRequested) {
  public ProfilerSettings {
    Objects.requireNonNull(usageSignal, "usageSignal");
    Objects.requireNonNull(memoryMethod, "memoryMethod");
  }
}
