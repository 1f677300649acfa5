package dev.coldspy.lsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The server's input as LSP4J reads it, with frames whose header has no usable {@code Content-Length} taken
 * out. LSP4J cannot delimit such a frame: it reads its body as the next header, and every later message is
 * lost with it. Here the body of a malformed frame — one JSON value — is read to its end by its brackets and
 * handed to {@code onMalformed} (which answers a request with an error); the frames after it reach LSP4J
 * intact. Well-formed frames pass through with their header written as LSP4J reads it ({@code Content-Length}
 * spelt so, header names being case-insensitive) and their bodies streamed, never buffered.
 */
final class FrameGuard extends InputStream {
  /** The largest malformed body looked for; beyond it the rest of the value is read as headers (and skipped). */
  static final int MAX_MALFORMED_BODY = 16 * 1024 * 1024;
  private static final String CONTENT_LENGTH = "content-length";
  private static final String CONTENT_TYPE = "content-type";

  /** A frame set aside: its header line, and the JSON value that followed ("" when none did). */
  record Malformed(String header, String body) {}

  private final PushbackInputStream in;
  private final Consumer<Malformed> onMalformed;
  private byte[] header = new byte[0];
  private int headerPosition;
  private long bodyLeft;

  FrameGuard(InputStream in, Consumer<Malformed> onMalformed) {
    this.in = new PushbackInputStream(in, 1);
    this.onMalformed = onMalformed;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (true) {
      if (headerPosition < header.length) {
        int count = Math.min(length, header.length - headerPosition);
        System.arraycopy(header, headerPosition, buffer, offset, count);
        headerPosition += count;
        return count;
      }
      if (bodyLeft > 0) {
        int count = in.read(buffer, offset, (int) Math.min(length, bodyLeft));
        if (count > 0) {
          bodyLeft -= count;
        }
        return count;
      }
      if (!nextFrame()) {
        return -1;
      }
    }
  }

  /** Reads the next header block; false at the end of the input. A malformed frame is consumed whole. */
  private boolean nextFrame() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    String lengthLine = null;
    String contentType = null;
    long length = -1;
    while (true) {
      String line = readLine(raw);
      if (line == null) { // the input ended inside a header: LSP4J sees what there was, then the end
        header = raw.toByteArray();
        headerPosition = 0;
        return header.length > 0;
      }
      if (line.isEmpty()) {
        if (lengthLine == null && raw.size() <= 2) {
          raw.reset(); // a blank line between frames
          continue;
        }
        break;
      }
      int colon = line.indexOf(':');
      String name = colon > 0 ? line.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
      if (name.equals(CONTENT_LENGTH)) {
        lengthLine = line;
        length = parseLength(line.substring(colon + 1).strip());
      } else if (name.equals(CONTENT_TYPE)) {
        contentType = line.substring(colon + 1).strip();
      }
    }
    if (length >= 0) {
      String normalized = "Content-Length: " + length + "\r\n"
          + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n";
      header = normalized.getBytes(StandardCharsets.UTF_8);
      headerPosition = 0;
      bodyLeft = length;
      return true;
    }
    onMalformed.accept(new Malformed(lengthLine == null ? "no Content-Length header" : lengthLine, readJsonValue()));
    header = new byte[0];
    headerPosition = 0;
    return true;
  }

  private static long parseLength(String value) {
    if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    long parsed = Long.parseLong(value);
    return parsed <= Integer.MAX_VALUE ? parsed : -1;
  }

  /** One header line without its terminator, its bytes added to {@code raw}; null at the end of the input. */
  private String readLine(ByteArrayOutputStream raw) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      raw.write(c);
      if (c == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (c != '\r') {
        line.write(c);
      }
    }
  }

  /**
   * The JSON object or array that starts after optional whitespace, read to its closing bracket (strings and
   * escapes respected); "" when something else follows (the next frame's header, which stays unread).
   */
  private String readJsonValue() throws IOException {
    int c = in.read();
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      c = in.read();
    }
    if (c != '{' && c != '[') {
      if (c >= 0) {
        in.unread(c);
      }
      return "";
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    while (c >= 0 && body.size() < MAX_MALFORMED_BODY) {
      body.write(c);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        break;
      }
      c = in.read();
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
