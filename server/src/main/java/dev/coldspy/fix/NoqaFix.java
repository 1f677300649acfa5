package dev.coldspy.fix;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.Span;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.SpanEdit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code # noqa: CSxxx} quick fix, as ruff's "disable for this line": silences one code on one import
 * statement. The code joins a {@code # noqa: …} list already on the statement's last line; otherwise
 * {@code  # noqa: CSxxx} goes at the end of that line (after any comment: the directive is found anywhere in
 * it).
 */
public final class NoqaFix {
  private static final Pattern CODE_LIST =
      Pattern.compile("#\\s*noqa:\\s*[A-Za-z]+[0-9]+(?:[\\s,]+[A-Za-z]+[0-9]+)*", Pattern.CASE_INSENSITIVE);

  private NoqaFix() {}

  /** The edit that silences {@code code} on {@code statement}, or empty when a noqa already silences it. */
  public static Optional<SpanEdit> edit(PythonModule module, ImportStatement statement, String code) {
    if (statement.noqa().suppresses(code)) {
      return Optional.empty();
    }
    SourceText text = module.text();
    int line = statement.lastLine();
    int lineStart = text.lineStart(line);
    int end = text.lineContentEnd(line);
    int from = Math.max(statement.span().end(), lineStart);
    Matcher list = CODE_LIST.matcher(module.source()).region(from, end);
    if (list.find()) {
      return Optional.of(SpanEdit.insert(list.end(), ", " + code));
    }
    int contentEnd = end;
    while (contentEnd > from && Character.isWhitespace(module.source().charAt(contentEnd - 1))) {
      contentEnd--;
    }
    return Optional.of(new SpanEdit(new Span(contentEnd, end), "  # noqa: " + code));
  }
}
