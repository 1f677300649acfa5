package dev.coldspy.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the import statements a Python source runs at module level from its lines, without parsing the whole
 * file: {@link ModuleLevelImports} asks this of many library files per analysis, and a full parse costs
 * milliseconds each. Logical lines are followed through brackets, backslashes and strings (a triple-quoted
 * string's lines are never statements); an import counts when no enclosing block, by indentation, is a function
 * ({@code def}) or {@code if TYPE_CHECKING:} — class bodies and if/try/with/for/while blocks run at import. Where
 * the lines mislead (an import in a one-line {@code if x: import y}, or after a semicolon: {@code x = 1; import
 * y}), an import is missed; the statements found are parsed for what they load.
 */
final class ImportLines {
  /**
   * One module-level import statement.
   *
   * @param firstLine its first 1-based line
   * @param lastLine its last 1-based line
   * @param text its lines, the first without its indentation
   */
  record Statement(int firstLine, int lastLine, String text) {}

  private record Block(int indent, boolean runsAtImport) {}

  private static final Pattern TYPE_CHECKING = Pattern.compile("if\\s+(\\w+\\.)?TYPE_CHECKING\\s*:.*", Pattern.DOTALL);

  private final String text;
  private int position;
  private int line;

  private ImportLines(String text) {
    this.text = text;
  }

  static List<Statement> moduleLevel(String text) {
    return new ImportLines(text).scan();
  }

  private List<Statement> scan() {
    List<Statement> found = new ArrayList<>();
    Deque<Block> blocks = new ArrayDeque<>();
    int notRunning = 0; // open blocks whose body does not run at import
    while (position < text.length()) {
      int lineStart = position;
      int start = skipBlanks(position);
      if (start >= text.length() || isLineEnd(text.charAt(start)) || text.charAt(start) == '#') {
        nextLine(start);
        continue;
      }
      int indentFrom = lineStart;
      for (int i = lineStart; i < start; i++) {
        if (text.charAt(i) == '\f') {
          indentFrom = i + 1; // a form feed resets the count, as Python's tokenizer does
        }
      }
      int indent = start - indentFrom;
      int firstLine = line;
      char lastCode = logicalLine(start);
      int end = position; // after the logical line's last character, before its line break
      while (!blocks.isEmpty() && blocks.peek().indent() >= indent) {
        notRunning -= blocks.pop().runsAtImport() ? 0 : 1;
      }
      if (notRunning == 0 && (startsWithWord(text, start, "import") || startsWithWord(text, start, "from"))) {
        found.add(new Statement(firstLine + 1, line + 1, text.substring(start, end).stripTrailing()));
      }
      if (lastCode == ':') {
        boolean runs = !startsWithWord(text, start, "def") && !startsWithWord(text, start, "async")
            && !TYPE_CHECKING.matcher(text.subSequence(start, end)).matches();
        blocks.push(new Block(indent, runs));
        notRunning += runs ? 0 : 1;
      }
      nextLine(end);
    }
    return List.copyOf(found);
  }

  /**
   * Reads the logical line from {@code from}: through open brackets, trailing backslashes and multi-line strings.
   * Leaves {@link #position} at its end (before the line break) and {@link #line} at its last line; returns its
   * last character of code (not of a comment or a string), or 0.
   */
  private char logicalLine(int from) {
    int depth = 0;
    char lastCode = 0;
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        boolean backslash = lastCode == '\\';
        if (depth == 0 && !backslash) {
          break;
        }
        line++;
        if (backslash) {
          lastCode = ' ';
        }
        i++;
      } else if (c == '#') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        i = afterString(i);
        lastCode = c;
      } else {
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          depth = Math.max(0, depth - 1);
        }
        if (!Character.isWhitespace(c)) {
          lastCode = c;
        }
        i++;
      }
    }
    position = i;
    return lastCode;
  }

  /** Where the string starting at {@code quoteAt} ends; counts the lines a triple-quoted one spans. */
  private int afterString(int quoteAt) {
    char quote = text.charAt(quoteAt);
    boolean triple = quoteAt + 2 < text.length() && text.charAt(quoteAt + 1) == quote
        && text.charAt(quoteAt + 2) == quote;
    int i = quoteAt + (triple ? 3 : 1);
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          line++;
        }
        i += 2;
      } else if (c == '\n') {
        if (!triple) {
          return i; // an unterminated one-quote string ends with its line
        }
        line++;
        i++;
      } else if (c == quote && (!triple
          || (i + 2 < text.length() && text.charAt(i + 1) == quote && text.charAt(i + 2) == quote))) {
        return i + (triple ? 3 : 1);
      } else {
        i++;
      }
    }
    return i;
  }

  private int skipBlanks(int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\f')) {
      i++;
    }
    return i;
  }

  private static boolean isLineEnd(char c) {
    return c == '\n' || c == '\r';
  }

  /** Moves past the line break at or after {@code from}. */
  private void nextLine(int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) != '\n') {
      i++;
    }
    position = i + 1;
    line++;
  }

  /** Whether {@code word} stands at {@code at} as a whole word ({@code from.x} and {@code import\tx} count). */
  static boolean startsWithWord(String text, int at, String word) {
    int end = at + word.length();
    return text.startsWith(word, at) && (end >= text.length() || !Character.isJavaIdentifierPart(text.charAt(end)));
  }
}
