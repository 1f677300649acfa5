package dev.coldspy.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Replace the text of {@code span} (offsets into the original text) with {@code newText}. */
public record SpanEdit(Span span, String newText) {
  public SpanEdit {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(newText, "newText");
  }

  public static SpanEdit insert(int offset, String text) {
    return new SpanEdit(Span.empty(offset), text);
  }

  public static SpanEdit delete(Span span) {
    return new SpanEdit(span, "");
  }

  /**
   * Applies non-overlapping edits, all expressed against {@code text}. Insertions at the same offset keep
   * their list order. Throws {@link IllegalArgumentException} for overlapping or out-of-range edits, which
   * are programming errors of the edit producer.
   */
  public static String applyAll(String text, List<SpanEdit> edits) {
    List<SpanEdit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt((SpanEdit e) -> e.span().start()).thenComparingInt(e -> e.span().end()));
    StringBuilder out = new StringBuilder(text.length() + 64);
    int copied = 0;
    for (SpanEdit edit : sorted) {
      Span span = edit.span();
      if (span.start() < copied || span.end() > text.length()) {
        throw new IllegalArgumentException("overlapping or out-of-range edit " + span + " (text length " + text.length() + ")");
      }
      out.append(text, copied, span.start()).append(edit.newText());
      copied = span.end();
    }
    return out.append(text, copied, text.length()).toString();
  }
}
