package dev.coldspy.intellij.core;

import java.util.Locale;

/**
 * The status bar widget's text and tooltip: the server starting or stopped, no profile yet, or the handler's init
 * cost and the possible saving from its last {@code coldspy/status} (the texts of the VS Code status item).
 */
public record StatusText(String text, String tooltip) {
  public static final StatusText STARTING =
      new StatusText("ColdSpy: starting…", "The ColdSpy server is starting (LSP Consoles tool window: its log).");
  public static final StatusText STOPPED =
      new StatusText("ColdSpy: stopped", "The ColdSpy server is not running (LSP Consoles tool window: its log).");

  /** The text for the server's last {@code coldspy/status}; a malformed one counts as no profile. */
  public static StatusText of(StatusParams params) {
    if (params == null || params.handler == null || params.handler.isBlank() || params.profiles <= 0) {
      return new StatusText(
          "ColdSpy: no profile",
          "No cold-start profile in .coldspy/profiles/ yet. Profile the handler through a few cold starts: "
              + "java -jar coldspy.jar profile handler.py:handler --event events/");
    }
    String function = params.handler.substring(params.handler.lastIndexOf(':') + 1);
    String saving = params.savingMs > 0 ? " (−" + formatMs(params.savingMs) + " possible)" : "";
    String tooltip = "ColdSpy: " + params.handler + " spends " + formatMs(params.initMs) + " in imports per cold start"
        + (params.savingMs > 0 ? "; the suggested fixes would save about " + formatMs(params.savingMs) : "")
        + " (from " + params.profiles + (params.profiles == 1 ? " profile)." : " profiles).");
    return new StatusText((function.isEmpty() ? params.handler : function) + ": " + formatMs(params.initMs) + " init" + saving, tooltip);
  }

  /** 812.3 → "812 ms", 1534 → "1.53 s", 12000 → "12.0 s". */
  static String formatMs(double ms) {
    if (!Double.isFinite(ms) || ms < 0) {
      return "? ms";
    }
    if (ms < 1000) {
      return Math.round(ms) + " ms";
    }
    double seconds = ms / 1000;
    return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
  }
}
