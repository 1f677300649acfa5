package dev.coldspy.profile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
   * Reads {@code file}, which must be a regular file (a symbolic link to one is fine) of at most
   * {@link ReadLimits#MAX_FILE_BYTES}.
   *
   * @throws ProfileFormatException when the file is missing, unreadable, not a regular file, too large, or not a
   *     valid profile of its kind
   */
  public static Profile read(Path file) throws ProfileFormatException {
    try {
      // Before opening: opening a FIFO would block, and a device such as /dev/zero never ends.
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new ProfileFormatException(file, "is a directory, not a profile file");
      }
      if (!attributes.isRegularFile()) {
        throw new ProfileFormatException(file, "is not a regular file (a device, pipe or socket); profiles are read"
            + " only from regular files");
      }
      if (attributes.size() > ReadLimits.MAX_FILE_BYTES) {
        throw tooLarge(file, attributes.size() + " bytes");
      }
      try (InputStream in = new BufferedInputStream(
          new BoundedInputStream(Files.newInputStream(file), ReadLimits.MAX_FILE_BYTES), 1 << 16)) {
        SourceKind kind = kindOf(file, in);
        return switch (kind) {
          case JSON -> JsonProfileReader.read(file, in);
          case PICKLE -> PickleProfileReader.read(file, in);
          case IMPORTTIME -> ImportTimeLogReader.read(file, in);
        };
      }
    } catch (BoundedInputStream.TooLarge e) {
      throw tooLarge(file, "more than " + ReadLimits.MAX_FILE_BYTES + " bytes");
    } catch (NoSuchFileException e) {
      throw new ProfileFormatException(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ProfileFormatException(file, "permission denied", e);
    } catch (IOException e) {
      throw new ProfileFormatException(file, "cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The readers check what they take from a file; reaching here is a bug in ColdSpy, and it stays one
      // file's error instead of taking down the other profiles or the language server.
      throw new ProfileFormatException(file, "cannot be read: internal error " + e.getClass().getSimpleName()
          + " in ColdSpy's reader (please report it with the file)", e);
    }
  }

  private static ProfileFormatException tooLarge(Path file, String size) {
    return new ProfileFormatException(file, "is too large to be a profile: " + size + ", the limit is "
        + (ReadLimits.MAX_FILE_BYTES >> 20) + " MB");
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
