package dev.coldspy.profile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads one profile file of any supported kind. The kind is decided by the content: a pickle starts with the
 * PROTO opcode {@code 0x80}, a JSON profile with <code>{</code>, and anything else is read as an
 * {@code -X importtime} log (which must then contain importtime records). A {@code .json}, {@code .pkl} or
 * {@code .pickle} extension insists on that kind, so a truncated or mislabelled file gets the error of the
 * format the user meant rather than "no importtime records".
 *
 * <p>Every failure is a {@link ProfileFormatException} whose message is one line naming the file.
 */
public final class ProfileReader {
  private ProfileReader() {}

  /**
   * Reads {@code file}.
   *
   * @throws ProfileFormatException when the file is missing, unreadable, or not a valid profile of its kind
   */
  public static Profile read(Path file) throws ProfileFormatException {
    if (Files.isDirectory(file)) {
      throw new ProfileFormatException(file, "is a directory, not a profile file");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      SourceKind kind = kindOf(file, in);
      return switch (kind) {
        case JSON -> JsonProfileReader.read(file, in);
        case PICKLE -> PickleProfileReader.read(file, in);
        case IMPORTTIME -> ImportTimeLogReader.read(file, in);
      };
    } catch (NoSuchFileException e) {
      throw new ProfileFormatException(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ProfileFormatException(file, "permission denied", e);
    } catch (IOException e) {
      throw new ProfileFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Decides the kind from the extension, then from the first non-blank byte. */
  static SourceKind kindOf(Path file, InputStream in) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return SourceKind.JSON;
    }
    if (name.endsWith(".pkl") || name.endsWith(".pickle")) {
      return SourceKind.PICKLE;
    }
    int lookahead = 4096;
    in.mark(lookahead);
    int first = in.read();
    for (int read = 1; read < lookahead && isBlankOrByteOrderMark(first); read++) {
      first = in.read();
    }
    in.reset();
    if (first == 0x80) {
      return SourceKind.PICKLE;
    }
    return first == '{' ? SourceKind.JSON : SourceKind.IMPORTTIME;
  }

  private static boolean isBlankOrByteOrderMark(int b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF;
  }

  /** True when a file name looks like a profile of a kind this reader knows (used to scan directories). */
  public static boolean looksLikeProfile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".pkl") || name.endsWith(".pickle") || name.endsWith(".log");
  }
}
