package dev.coldspy.profile;

import java.util.List;
import java.util.Objects;

/**
 * One handler call within a cold start.
 *
 * @param index 0-based within the cold start; 0 is the cold invocation
 * @param event the event file name (never its payload)
 * @param durationUs wall time of the call
 * @param peakRssBytes peak RSS after the call, or null
 * @param exception true when the call raised
 * @param exceptionType qualified exception class name when it raised, else null
 * @param modulesExecuted sorted names of the modules whose code the exact usage signal saw run (empty without
 *     an exact signal)
 * @param samples execution-phase samples taken during the call
 * @param usageObserved false when the usage signal did not watch the call (a Lambda environment's warm calls
 *     between its watched ones): {@code modulesExecuted} is then empty and says nothing about it
 */
public record Invocation(
    int index,
    String event,
    long durationUs,
    Long peakRssBytes,
    boolean exception,
    String exceptionType,
    List<String> modulesExecuted,
    int samples,
    boolean usageObserved) {
  public Invocation {
    Objects.requireNonNull(event, "event");
    modulesExecuted = List.copyOf(modulesExecuted);
  }

  /** A call whose usage, if a signal recorded any, was watched. */
  public Invocation(int index, String event, long durationUs, Long peakRssBytes, boolean exception,
      String exceptionType, List<String> modulesExecuted, int samples) {
    this(index, event, durationUs, peakRssBytes, exception, exceptionType, modulesExecuted, samples, true);
  }
}
