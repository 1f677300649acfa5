package dev.coldspy.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable source text with a line index: the one place where ColdSpy converts positions.
 *
 * <p>Coordinate systems: string offsets (UTF-16 code units, {@link Span}), profile lines (1-based), LSP
 * positions (0-based line, UTF-16 column) and tree-sitter points (0-based row, UTF-8 byte column) plus
 * tree-sitter byte offsets. Lines end at {@code \n}, {@code \r\n} or a lone {@code \r} (Python's universal
 * newlines, LSP's rule). Tree-sitter only counts {@code \n} as a row break, so {@link #parserBytes()} turns
 * a lone {@code \r} into {@code \n} — same byte length, so byte offsets stay valid and rows match lines.
 *
 * <p>No method throws on out-of-range input: offsets, lines and columns are clamped into the text.
 */
public final class SourceText {
  private final String text;
  private final byte[] utf8;
  /** Offset of the first character of each line; a text ending with a newline has a last, empty line. */
  private final int[] lineStarts;
  /** UTF-8 byte offset of the first byte of each line. */
  private final int[] lineByteStarts;
  /** Offset where each line's content ends (its terminator starts). */
  private final int[] lineContentEnds;
  private final boolean hasLoneCarriageReturn;
  private final LineEnding dominantLineEnding;

  private SourceText(String text) {
    this.text = text;
    this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    int n = text.length();
    int[] starts = new int[16];
    int[] contentEnds = new int[16];
    int lines = 0;
    int lf = 0;
    int crlf = 0;
    int cr = 0;
    starts[lines] = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c != '\n' && c != '\r') {
        continue;
      }
      int contentEnd = i;
      if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i++;
        crlf++;
      } else if (c == '\r') {
        cr++;
      } else {
        lf++;
      }
      if (lines + 2 > starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
        contentEnds = Arrays.copyOf(contentEnds, contentEnds.length * 2);
      }
      contentEnds[lines] = contentEnd;
      starts[++lines] = i + 1;
    }
    contentEnds[lines] = n;
    lines++;
    this.lineStarts = Arrays.copyOf(starts, lines);
    this.lineContentEnds = Arrays.copyOf(contentEnds, lines);
    this.hasLoneCarriageReturn = cr > 0;
    this.dominantLineEnding =
        crlf > lf && crlf >= cr ? LineEnding.CRLF : cr > lf && cr > crlf ? LineEnding.CR : LineEnding.LF;
    this.lineByteStarts = new int[lines];
    if (utf8.length == n) { // pure ASCII: bytes and offsets coincide
      System.arraycopy(lineStarts, 0, lineByteStarts, 0, lines);
    } else {
      int bytes = 0;
      int offset = 0;
      for (int line = 0; line < lines; line++) {
        bytes += utf8Length(text, offset, lineStarts[line]);
        offset = lineStarts[line];
        lineByteStarts[line] = bytes;
      }
    }
  }

  public static SourceText of(String text) {
    return new SourceText(text == null ? "" : text);
  }

  public String text() {
    return text;
  }

  public int length() {
    return text.length();
  }

  /** UTF-8 bytes to hand to tree-sitter: lone {@code \r} replaced by {@code \n} (same offsets). */
  public byte[] parserBytes() {
    if (!hasLoneCarriageReturn) {
      return utf8;
    }
    byte[] copy = utf8.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == '\r' && (i + 1 == copy.length || copy[i + 1] != '\n')) {
        copy[i] = '\n';
      }
    }
    return copy;
  }

  public String slice(Span span) {
    return text.substring(clampOffset(span.start()), clampOffset(span.end()));
  }

  // ---- lines ---------------------------------------------------------------------------------------

  public int lineCount() {
    return lineStarts.length;
  }

  /** The 0-based line containing {@code offset} (clamped). */
  public int lineOfOffset(int offset) {
    int o = clampOffset(offset);
    int i = Arrays.binarySearch(lineStarts, o);
    return i >= 0 ? i : -i - 2;
  }

  public int lineStart(int line) {
    return lineStarts[clampLine(line)];
  }

  /** Offset where the line's content ends, before its terminator. */
  public int lineContentEnd(int line) {
    return lineContentEnds[clampLine(line)];
  }

  /** Offset just after the line's terminator (the next line's start; the text length on the last line). */
  public int lineEnd(int line) {
    int l = clampLine(line);
    return l + 1 < lineStarts.length ? lineStarts[l + 1] : text.length();
  }

  /** The line's content without its terminator. */
  public String lineText(int line) {
    return text.substring(lineStart(line), lineContentEnd(line));
  }

  /** The line's terminator: {@code "\n"}, {@code "\r\n"}, {@code "\r"} or {@code ""} on the last line. */
  public String lineTerminator(int line) {
    return text.substring(lineContentEnd(line), lineEnd(line));
  }

  /** The line ending used by most lines (LF for a one-line text). */
  public LineEnding dominantLineEnding() {
    return dominantLineEnding;
  }

  /** The leading spaces and tabs of a line, exactly as written. */
  public String indentation(int line) {
    int start = lineStart(line);
    int end = lineContentEnd(line);
    int i = start;
    while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\f')) {
      i++;
    }
    return text.substring(start, i);
  }

  /** Whether only spaces/tabs precede {@code offset} on its line. */
  public boolean startsLine(int offset) {
    int o = clampOffset(offset);
    return lineStart(lineOfOffset(o)) + indentation(lineOfOffset(o)).length() >= o;
  }

  // ---- profile lines (1-based) ---------------------------------------------------------------------

  /** The span of a profile line's content (1-based line number, clamped). */
  public Span profileLine(int oneBasedLine) {
    int line = clampLine(oneBasedLine - 1);
    return new Span(lineStart(line), lineContentEnd(line));
  }

  public int profileLineOfOffset(int offset) {
    return lineOfOffset(offset) + 1;
  }

  // ---- LSP -----------------------------------------------------------------------------------------

  public LspPosition toLsp(int offset) {
    int o = clampOffset(offset);
    int line = lineOfOffset(o);
    return new LspPosition(line, o - lineStarts[line]);
  }

  public LspRange toLsp(Span span) {
    return new LspRange(toLsp(span.start()), toLsp(span.end()));
  }

  /** The offset of an LSP position; a character past the line's end means the line's end (LSP spec). */
  public int fromLsp(int line, int character) {
    if (line < 0) {
      return 0;
    }
    if (line >= lineStarts.length) {
      return text.length();
    }
    int start = lineStarts[line];
    return Math.min(start + Math.max(0, character), lineContentEnds[line]);
  }

  public int fromLsp(LspPosition position) {
    return fromLsp(position.line(), position.character());
  }

  public Span fromLsp(LspRange range) {
    int start = fromLsp(range.start());
    return new Span(start, Math.max(start, fromLsp(range.end())));
  }

  // ---- tree-sitter ---------------------------------------------------------------------------------

  /** UTF-8 byte offset of a string offset. An offset inside a surrogate pair maps to the pair's start. */
  public int offsetToByte(int offset) {
    int o = clampOffset(offset);
    int line = lineOfOffset(o);
    return lineByteStarts[line] + utf8Length(text, lineStarts[line], o);
  }

  /** String offset of a UTF-8 byte offset. A byte inside a multi-byte character maps to that character. */
  public int byteToOffset(int byteOffset) {
    if (byteOffset <= 0) {
      return 0;
    }
    if (byteOffset >= utf8.length) {
      return text.length();
    }
    int i = Arrays.binarySearch(lineByteStarts, byteOffset);
    int line = i >= 0 ? i : -i - 2;
    return advanceBytes(lineStarts[line], byteOffset - lineByteStarts[line]);
  }

  public Span byteSpan(int startByte, int endByte) {
    int start = byteToOffset(startByte);
    return new Span(start, Math.max(start, byteToOffset(endByte)));
  }

  public TsPoint toTsPoint(int offset) {
    int o = clampOffset(offset);
    int line = lineOfOffset(o);
    return new TsPoint(line, offsetToByte(o) - lineByteStarts[line]);
  }

  /** The offset of a tree-sitter point; a column past the row's end means the row's end. */
  public int fromTsPoint(int row, int byteColumn) {
    if (row < 0) {
      return 0;
    }
    if (row >= lineStarts.length) {
      return text.length();
    }
    int offset = advanceBytes(lineStarts[row], Math.max(0, byteColumn));
    return Math.min(offset, lineContentEnds[row]);
  }

  public int fromTsPoint(TsPoint point) {
    return fromTsPoint(point.row(), point.byteColumn());
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private int clampOffset(int offset) {
    return Math.max(0, Math.min(offset, text.length()));
  }

  private int clampLine(int line) {
    return Math.max(0, Math.min(line, lineStarts.length - 1));
  }

  /** From {@code offset}, skip characters worth {@code bytes} UTF-8 bytes (stopping inside a character). */
  private int advanceBytes(int offset, int bytes) {
    int o = offset;
    int remaining = bytes;
    int n = text.length();
    while (o < n && remaining > 0) {
      int width = charWidth(text, o);
      if (width > remaining) {
        break;
      }
      remaining -= width;
      o += width == 4 ? 2 : 1;
    }
    return o;
  }

  /** UTF-8 length of {@code text[from, to)}, counting as {@link String#getBytes} does. */
  private static int utf8Length(String text, int from, int to) {
    int bytes = 0;
    int i = from;
    while (i < to) {
      int width = charWidth(text, i);
      if (width == 4 && i + 1 >= to) { // offset between the halves of a pair: stop at the pair's start
        break;
      }
      bytes += width;
      i += width == 4 ? 2 : 1;
    }
    return bytes;
  }

  /** Bytes of the character at {@code i}; 4 for a surrogate pair; 1 for a lone surrogate (encoded as '?'). */
  private static int charWidth(String text, int i) {
    char c = text.charAt(i);
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)) ? 4 : 1;
    }
    if (Character.isLowSurrogate(c)) {
      return 1;
    }
    return 3;
  }

  @Override
  public String toString() {
    return "SourceText[" + text.length() + " chars, " + lineStarts.length + " lines]";
  }
}
