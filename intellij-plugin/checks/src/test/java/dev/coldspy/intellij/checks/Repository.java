package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the files these checks read, from the repository root that the Maven build passes in. */
final class Repository {
  private Repository() {}

  static Path root() {
    String root = System.getProperty("coldspy.repositoryRoot");
    return Path.of(root == null ? "../.." : root).toAbsolutePath().normalize();
  }

  static Path intellijPlugin() {
    return root().resolve("intellij-plugin");
  }

  /** The packaged server; scripts/test.d/70-intellij.sh builds it before running these checks. */
  static Path serverJar() {
    Path jar = root().resolve("server/target/coldspy.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build it with `mvn -pl server package` first");
    return jar;
  }
}
