package dev.coldspy.lsp;

import java.util.Objects;

/**
 * Params of {@code coldspy/status}, e.g. {@code {"handler": "handler.py:handler", "initMs": 812.3,
 * "savingMs": 640.1, "profiles": 3, "compileMs": 85.2}}. {@code handler} is null when no profile is loaded;
 * {@code compileMs} is the time per cold start compiling the application's modules from source when that is a
 * finding (CS107), else 0. A mutable bean because LSP4J's gson binding needs one.
 */
public final class StatusParams {
  private String handler;
  private double initMs;
  private double savingMs;
  private int profiles;
  private double compileMs;

  public StatusParams() {}

  public StatusParams(String handler, double initMs, double savingMs, int profiles) {
    this(handler, initMs, savingMs, profiles, 0);
  }

  public StatusParams(String handler, double initMs, double savingMs, int profiles, double compileMs) {
    this.handler = handler;
    this.initMs = initMs;
    this.savingMs = savingMs;
    this.profiles = profiles;
    this.compileMs = compileMs;
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

  public double getCompileMs() {
    return compileMs;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StatusParams that
        && Objects.equals(handler, that.handler)
        && initMs == that.initMs
        && savingMs == that.savingMs
        && profiles == that.profiles
        && compileMs == that.compileMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(handler, initMs, savingMs, profiles, compileMs);
  }

  @Override
  public String toString() {
    return "StatusParams[handler=" + handler + ", initMs=" + initMs + ", savingMs=" + savingMs
        + ", profiles=" + profiles + ", compileMs=" + compileMs + "]";
  }
}
