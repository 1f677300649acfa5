package dev.coldspy.lsp;

import java.util.Objects;

/**
 * Params of {@code coldspy/status}, e.g. {@code {"handler": "handler.py:handler", "initMs": 812.3,
 * "savingMs": 640.1, "profiles": 3}}. {@code handler} is null when no profile is loaded. A mutable bean
 * because LSP4J's gson binding needs one.
 */
public final class StatusParams {
  private String handler;
  private double initMs;
  private double savingMs;
  private int profiles;

  public StatusParams() {}

  public StatusParams(String handler, double initMs, double savingMs, int profiles) {
    this.handler = handler;
    this.initMs = initMs;
    this.savingMs = savingMs;
    this.profiles = profiles;
  }

  public String getHandler() {
    return handler;
  }

  public double getInitMs() {
    return initMs;
  }

  public double getSavingMs() {
    return savingMs;
  }

  public int getProfiles() {
    return profiles;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StatusParams that
        && Objects.equals(handler, that.handler)
        && initMs == that.initMs
        && savingMs == that.savingMs
        && profiles == that.profiles;
  }

  @Override
  public int hashCode() {
    return Objects.hash(handler, initMs, savingMs, profiles);
  }

  @Override
  public String toString() {
    return "StatusParams[handler=" + handler + ", initMs=" + initMs + ", savingMs=" + savingMs
        + ", profiles=" + profiles + "]";
  }
}
