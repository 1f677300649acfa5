package dev.coldspy.profile;

import java.nio.file.Path;

/**
 * A profile file that cannot be read: missing, unreadable, truncated, of an unknown schema version or of an
 * unexpected shape. The message is one line naming the file and the problem, ready to show to a user: control
 * characters in either (a file name or a profile can hold them) are escaped by {@link PrintableText}.
 */
public final class ProfileFormatException extends Exception {
  private final transient Path file;
  private final String problem;

  /**
   * @param file the file concerned
   * @param problem what is wrong, one line, without the file name
   */
  public ProfileFormatException(Path file, String problem) {
    super(PrintableText.of(file.toString()) + ": " + oneLine(problem));
    this.file = file;
    this.problem = oneLine(problem);
  }

  /** Same, keeping the underlying cause for logs (never shown to users). */
  public ProfileFormatException(Path file, String problem, Throwable cause) {
    super(PrintableText.of(file.toString()) + ": " + oneLine(problem), cause);
    this.file = file;
    this.problem = oneLine(problem);
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }

  /** The problem without the file name, printable. */
  public String problem() {
    return problem;
  }

  /** A problem longer than this is cut: it quotes a file's content, and a message is read, not scrolled. */
  private static final int MAX_PROBLEM_CHARS = 1000;

  private static String oneLine(String text) {
    if (text == null) {
      return "unknown problem";
    }
    String line = PrintableText.of(text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    return line.length() <= MAX_PROBLEM_CHARS ? line
        : line.substring(0, MAX_PROBLEM_CHARS) + "... (" + (line.length() - MAX_PROBLEM_CHARS) + " more characters)";
  }
}
