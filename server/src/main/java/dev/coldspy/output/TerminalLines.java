package dev.coldspy.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines {@code check} and {@code fix} print besides the findings (summaries, notes, {@code fix}'s outcomes):
 * at most {@value #WIDTH} characters, wrapped at spaces onto continuation lines indented by {@value
 * #CONTINUATION_WIDTH} spaces, so that a terminal or a CI log shows them whole. A finding line is never wrapped
 * (one finding, one line, for editors' problem matchers): its message is held to {@link
 * dev.coldspy.engine.Classifier#MESSAGE_LIMIT} instead.
 */
public final class TerminalLines {
  /** The widest line; only a word longer than a line (a long path) goes beyond it, unbroken. */
  public static final int WIDTH = 120;

  static final int CONTINUATION_WIDTH = 4;
  private static final String CONTINUATION = " ".repeat(CONTINUATION_WIDTH);

  private TerminalLines() {}

  /**
   * Prints {@code head} followed by {@code text}, wrapped: {@code head} stays whole on the first line with at least
   * the first word of {@code text} (so that {@code FILE:LINE:COL: CODE not fixed: why} keeps its location and
   * outcome on one line for scripts), the rest of {@code text} goes onto continuation lines.
   */
  public static void print(PrintWriter out, String head, String text) {
    for (String line : wrap(head, text)) {
      out.println(line);
    }
  }

  /** {@link #print}'s lines. */
  static List<String> wrap(String head, String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(head);
    boolean empty = true; // no word of text on the line yet
    for (String word : text.split(" ", -1)) {
      if (!empty && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(CONTINUATION).append(word);
      } else {
        line.append(empty ? "" : " ").append(word);
      }
      empty = false;
    }
    lines.add(line.toString());
    return lines;
  }
}
