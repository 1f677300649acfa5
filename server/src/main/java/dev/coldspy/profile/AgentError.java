package dev.coldspy.profile;

import java.util.Objects;

/**
 * A problem the agent met but survived.
 *
 * @param coldStart the cold start concerned, or null for the whole run
 * @param message what happened
 */
public record AgentError(Integer coldStart, String message) {
  public AgentError {
    Objects.requireNonNull(message, "message");
  }
}
