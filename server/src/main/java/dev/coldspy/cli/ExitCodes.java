package dev.coldspy.cli;

/** The exit statuses of every {@code coldspy} command (as ruff's: 0 clean, 1 findings, 2 trouble). */
public final class ExitCodes {
  /** Done, and nothing at or above the failing severity was found. */
  public static final int OK = 0;
  /** {@code check} found something at or above the failing severity (or a budget was exceeded). */
  public static final int FINDINGS = 1;
  /** Wrong usage, unusable input (missing path, bad profile, missing interpreter) or an internal error. */
  public static final int ERROR = 2;

  private ExitCodes() {}
}
