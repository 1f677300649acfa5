package dev.coldspy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that run {@code coldspy profile}: the embedded agent is unpacked into a cache of the class's
 * own ({@code coldspy.cache}), not the user's, and the cache is removed afterwards.
 */
final class PrivateAgentCache implements BeforeAllCallback, AfterAllCallback {
  private Path cache;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    cache = Files.createTempDirectory("coldspy-agent-cache");
    System.setProperty("coldspy.cache", cache.toString());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    System.clearProperty("coldspy.cache");
    try (Stream<Path> files = Files.walk(cache)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> {
        try {
          Files.delete(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
