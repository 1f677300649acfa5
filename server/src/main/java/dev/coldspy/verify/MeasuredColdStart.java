package dev.coldspy.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One cold start as {@code cold_start.py} measured it.
 *
 * @param initNs the handler module's import
 * @param invocations the handler calls, the first one first
 */
public record MeasuredColdStart(long initNs, List<Invocation> invocations) {
  /**
   * One handler call.
   *
   * @param event the event's name
   * @param ns its duration
   * @param outcome {@code {"return": value}}, {@code {"returnRepr": text}} or
   *     {@code {"exception": {"type", "message"}}}
   */
  public record Invocation(String event, long ns, JsonNode outcome) {
    /** Whether {@code other} behaved the same: equal values, or exceptions of the same type. */
    boolean sameOutcome(Invocation other) {
      JsonNode exception = outcome.get("exception");
      JsonNode otherException = other.outcome.get("exception");
      if (exception != null || otherException != null) {
        return exception != null && otherException != null && exception.get("type").equals(otherException.get("type"));
      }
      return outcome.equals(other.outcome);
    }
  }

  public double initMs() {
    return initNs / 1e6;
  }

  public double firstInvocationMs() {
    return invocations.isEmpty() ? 0 : invocations.get(0).ns() / 1e6;
  }

  /** What a user waits for on a cold start: init and the first invocation. */
  public double coldStartMs() {
    return initMs() + firstInvocationMs();
  }
}
