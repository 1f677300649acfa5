package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code coldspy.jar check}, run as two separate processes on every golden profile of
 * {@code fixtures/profiles} and its app, gives byte-identical output in each format. The second process
 * runs with another locale and a single-threaded common pool, so output that depended on the default locale,
 * on thread scheduling or on per-process hash codes would differ.
 */
class PackagedCheckIT {
  private static final Path FIXTURES = locate("fixtures");
  private static final Path JAR = locate("server/target/coldspy.jar");
  private static final List<String> FORMATS = List.of("text", "json", "sarif");

  @TempDir Path stdout;

  @Test
  void twoProcessesGiveTheSameBytesForEveryGoldenProfileAndFormat() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the packaged-jar tests run after 'package'");
    List<String> apps = goldenApps();
    assertTrue(apps.size() >= 5, "golden profiles: " + apps);
    for (String app : apps) {
      for (String format : FORMATS) {
        List<String> check = List.of("check", "--format", format, "--profile", "profiles/" + app + ".json",
            "apps/" + app);
        Run first = run(List.of(), check);
        Run second = run(List.of("-Duser.language=de", "-Duser.country=DE",
            "-Djava.util.concurrent.ForkJoinPool.common.parallelism=1"), check);
        String what = app + " --format " + format;
        assertEquals("", first.err(), what);
        assertTrue(first.status() == ExitCodes.OK || first.status() == ExitCodes.FINDINGS, what + ": " + first);
        assertTrue(first.out().length > 0, what + " printed nothing");
        assertEquals(first.status(), second.status(), what);
        assertArrayEquals(first.out(), second.out(), what);
      }
    }
  }

  private record Run(int status, byte[] out, String err) {}

  /** {@code java <jvmOptions> -jar coldspy.jar <arguments>} in the fixtures directory. */
  private Run run(List<String> jvmOptions, List<String> arguments) throws IOException, InterruptedException {
    // C1 only: half the CPU of a default JVM for a run this short, and no effect on what it prints.
    List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(arguments);
    Path out = Files.createTempFile(stdout, "stdout", ".txt");
    Path err = Files.createTempFile(stdout, "stderr", ".txt");
    Process process = new ProcessBuilder(command).directory(FIXTURES.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
    return new Run(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
  }

  private static List<String> goldenApps() throws IOException {
    try (Stream<Path> profiles = Files.list(FIXTURES.resolve("profiles"))) {
      return profiles.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".json"))
          .map(name -> name.substring(0, name.length() - ".json".length()))
          .filter(app -> Files.isDirectory(FIXTURES.resolve("apps").resolve(app)))
          .sorted().toList();
    }
  }

  /** A path of the repository, whether the tests run in {@code server/} (Maven) or at the root. */
  private static Path locate(String relative) {
    Path fromModule = Path.of("..", relative);
    return (Files.exists(fromModule) ? fromModule : Path.of(relative)).toAbsolutePath().normalize();
  }
}
