package dev.coldspy.project;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a project's Python files, one policy for the command line and the language server: UTF-8, with bytes
 * that are not UTF-8 decoded as U+FFFD and the file analysed anyway (its imports are almost always ASCII, and
 * skipping one file would move the cost of its imports onto other files); files larger than
 * {@link #MAX_BYTES} are not analysed (generated code or data, not a handler).
 */
public final class SourceReader {
  /** Larger files are not analysed. */
  public static final long MAX_BYTES = 2_000_000;

  private SourceReader() {}

  /** Why a file was not read; the message names the file and the problem. */
  public static final class UnreadableSource extends Exception {
    UnreadableSource(String message) {
      super(message);
    }
  }

  /** The file's text. */
  public static String read(Path file) throws UnreadableSource {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new UnreadableSource(file + ": " + size + " bytes, more than " + MAX_BYTES + "; not analysed");
      }
      return decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UnreadableSource(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Whether a text held in memory (an editor's buffer) is too large to analyse, measured as UTF-8 would be. */
  public static boolean isTooLarge(String text) {
    // A char is 1 to 3 UTF-8 bytes: only a text near the limit needs counting.
    return text.length() > MAX_BYTES || (text.length() * 3L > MAX_BYTES
        && text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES);
  }

  /** UTF-8 with invalid bytes as U+FFFD. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException impossible) {
      throw new IllegalStateException("a replacing decoder does not fail", impossible);
    }
  }
}
