package dev.coldspy.lsp;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One editor buffer at one version, immutable: every request works on the text it was asked about even if the
 * user keeps typing. {@code version} is the client's version; -1 marks text read from disk (a profiled file
 * that no editor has open).
 */
record TextDocument(String uri, String languageId, String text, int version) {
  static final int ON_DISK = -1;

  /** The file behind a {@code file:} URI, if it has one (untitled buffers do not). */
  Optional<Path> path() {
    return pathOf(uri);
  }

  static Optional<Path> pathOf(String uri) {
    try {
      URI parsed = URI.create(uri);
      return "file".equalsIgnoreCase(parsed.getScheme())
          ? Optional.of(Path.of(parsed).toAbsolutePath().normalize())
          : Optional.empty();
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  static String uriOf(Path path) {
    return path.toAbsolutePath().normalize().toUri().toString();
  }

  boolean isPython() {
    return "python".equals(languageId) || uri.endsWith(".py") || uri.endsWith(".pyi");
  }

  TextDocument withText(String newText, int newVersion) {
    return new TextDocument(uri, languageId, newText, newVersion);
  }
}
