package dev.coldspy.agent;

/** The profiler agent cannot be run: a missing input, or a build or cache it cannot be extracted from. */
public final class AgentException extends RuntimeException {
  AgentException(String message) {
    super(message);
  }

  AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
