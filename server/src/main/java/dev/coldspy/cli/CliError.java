package dev.coldspy.cli;

/**
 * A problem the user can fix (missing file, missing interpreter, no usable profile): {@link Main} prints
 * {@code coldspy: <message>} on one line, without a stack trace, and exits with {@link ExitCodes#ERROR}.
 */
public final class CliError extends RuntimeException {
  public CliError(String message) {
    super(message);
  }

  public CliError(String message, Throwable cause) {
    super(message, cause);
  }
}
