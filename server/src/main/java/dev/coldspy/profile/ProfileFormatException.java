package dev.coldspy.profile;

import java.nio.file.Path;

/**
 * A profile file that cannot be read: missing, unreadable, truncated, of an unknown schema version or of an
 * unexpected shape. The message is one line naming the file and the problem, ready to show to a user.
 */
public final class ProfileFormatException extends Exception {
  private final transient Path file;
  private final String problem;

  /**
   * @param file the file concerned
   * @param problem what is wrong, one line, without the file name
   */
  public ProfileFormatException(Path file, String problem) {
    super(file + ": " + oneLine(problem));
    this.file = file;
    this.problem = oneLine(problem);
  }

  /** Same, keeping the underlying cause for logs (never shown to users). */
  public ProfileFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + oneLine(problem), cause);
    this.file = file;
    this.problem = oneLine(problem);
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }

  /** The problem without the file name. */
  public String problem() {
    return problem;
  }

  private static String oneLine(String text) {
    return text == null ? "unknown problem" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
