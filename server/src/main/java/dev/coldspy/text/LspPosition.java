package dev.coldspy.text;

/** A position as the Language Server Protocol counts it: 0-based line, 0-based UTF-16 code-unit column. */
public record LspPosition(int line, int character) {
  /**
   * The start of a line a profile or a finding names (1-based), in a file whose text is not at hand (a
   * finding's use site in another file); line 0 and below clamp to the first line.
   */
  public static LspPosition startOfOneBasedLine(int oneBasedLine) {
    return new LspPosition(Math.max(0, oneBasedLine - 1), 0);
  }
}
