package dev.coldspy.fix;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.text.Span;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.SpanEdit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code # noqa: CSxxx} quick fix, as ruff's "disable for this line": silences one code on one statement
 * (an import, another module-level statement) or one line. The code joins a {@code # noqa: …} list already on the statement's last line; otherwise
 * {@code  # noqa: CSxxx} goes at the end of that line (after any comment: the directive is found anywhere in
 * it).
 */
public final class NoqaFix {
  private static final Pattern CODE_LIST =
      Pattern.compile("#\\s*noqa:\\s*[A-Za-z]+[0-9]+(?:[\\s,]+[A-Za-z]+[0-9]+)*", Pattern.CASE_INSENSITIVE);

  private NoqaFix() {}

  /** The edit that silences {@code code} on {@code statement}, or empty when a noqa already silences it. */
  public static Optional<SpanEdit> edit(SourceText text, ImportStatement statement, String code) {
    if (statement.noqa().suppresses(code)) {
      return Optional.empty();
    }
    int line = statement.lastLine();
    return Optional.of(onLine(text, line, Math.max(statement.span().end(), text.lineStart(line)), code));
  }

  /**
   * The edit that silences {@code code} on a module-level statement that is no import ({@code MODEL =
   * joblib.load(...)}): on its last line, after it.
   */
  public static SpanEdit afterStatement(SourceText text, Span statement, String code) {
    int line = text.lineOfOffset(Math.max(statement.start(), statement.end() - 1));
    return onLine(text, line, Math.max(statement.end(), text.lineStart(line)), code);
  }

  /** The edit that silences {@code code} on a whole 0-based line (CS107 on the handler's {@code def}). */
  public static SpanEdit onLine(SourceText text, int line, String code) {
    return onLine(text, line, text.lineStart(line), code);
  }

  /** Joins a {@code # noqa: …} list found on the line from {@code from}, else appends one to the line. */
  private static SpanEdit onLine(SourceText text, int line, int from, String code) {
    String source = text.text();
    int end = text.lineContentEnd(line);
    Matcher list = CODE_LIST.matcher(source).region(from, end);
    if (list.find()) {
      return SpanEdit.insert(list.end(), ", " + code);
    }
    int contentEnd = end;
    while (contentEnd > from && Character.isWhitespace(source.charAt(contentEnd - 1))) {
      contentEnd--;
    }
    return new SpanEdit(new Span(contentEnd, end), "  # noqa: " + code);
  }
}
