package dev.coldspy.intellij.checks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A project for the server to open: a fixture app with its golden profile where the server looks by default. */
final class FixtureProject {
  private FixtureProject() {}

  /** Copies fixtures/apps/{@code app} to {@code work}/{@code app} and the profile to its .coldspy/profiles/. */
  static Path copy(String app, String profileFile, Path work) throws IOException {
    Path source = Repository.root().resolve("fixtures/apps").resolve(app);
    Path profile = Repository.root().resolve("fixtures/profiles").resolve(profileFile);
    assertTrue(Files.isRegularFile(source.resolve("handler.py")), "fixture app missing: " + source);
    assertTrue(Files.isRegularFile(profile), "fixture profile missing: " + profile);
    Path project = work.resolve(app);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = project.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    Path profiles = Files.createDirectories(project.resolve(".coldspy/profiles"));
    Files.copy(profile, profiles.resolve(profileFile));
    return project;
  }
}
