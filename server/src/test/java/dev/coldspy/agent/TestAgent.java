package dev.coldspy.agent;

import java.io.IOException;
import java.nio.file.Path;

/** The embedded agent extracted for tests that run its Python code directly. */
public final class TestAgent {
  private TestAgent() {}

  public static Path extract(Path cache) throws IOException {
    return ProfilerAgent.embedded().extract(cache);
  }
}
