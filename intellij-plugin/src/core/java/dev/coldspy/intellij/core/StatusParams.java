package dev.coldspy.intellij.core;

/**
 * Params of the server's {@code coldspy/status} notification, e.g. {@code {"handler": "handler.py:handler",
 * "initMs": 812.3, "savingMs": 640.1, "profiles": 3}}; {@code handler} is null when no profile is loaded. Fields
 * rather than a record: LSP4J's gson fills them by reflection (and leaves missing ones at their defaults).
 */
public final class StatusParams {
  public String handler;
  public double initMs;
  public double savingMs;
  public int profiles;

  public StatusParams() {}

  public StatusParams(String handler, double initMs, double savingMs, int profiles) {
    this.handler = handler;
    this.initMs = initMs;
    this.savingMs = savingMs;
    this.profiles = profiles;
  }
}
