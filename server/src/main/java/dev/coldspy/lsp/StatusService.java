package dev.coldspy.lsp;

import dev.coldspy.engine.HandlerSummary;

/** The {@code coldspy/status} notification's content: the handler at a glance, for a status bar. */
final class StatusService {
  /** No profile loaded: no handler, nothing measured. */
  static final StatusParams NO_PROFILE = new StatusParams(null, 0, 0, 0);

  private StatusService() {}

  static StatusParams status(HandlerSummary summary) {
    return new StatusParams(
        summary.handler() != null ? summary.handler() : summary.app(),
        round(summary.initUs().median() / 1000.0),
        round(summary.savingUs() / 1000.0),
        summary.profiles(),
        round(summary.compileUs() / 1000.0));
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }
}
