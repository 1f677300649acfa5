package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI on every hostile input of issue 13, as a user would run it:
 * {@code java -Xmx512m -jar coldspy.jar check --profile BAD apps/html_render} exits 2 within 5 seconds (JVM
 * start included) with one line {@code coldspy: BAD: <problem>} on stderr and nothing on stdout.
 */
class HostileProfilesIT {
  /** The repository root, whether Maven runs the tests in {@code server/} or at the root. */
  private static final Path ROOT = Files.isDirectory(Path.of("..", "fixtures")) ? Path.of("..") : Path.of(".");
  private static final Path JAR = ROOT.resolve("server/target/coldspy.jar").toAbsolutePath();

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> checkExitsTwoWithOneLineWithinFiveSecondsUnderA512MbHeap() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the packaged-jar tests run after 'package'");
    Path fixtures = ROOT.resolve("fixtures").toAbsolutePath();
    List<HostileProfiles.Case> cases = HostileProfiles.write(dir, fixtures.resolve("profiles/html_render.json"));
    return cases.stream().map(hostile -> DynamicTest.dynamicTest(hostile.name(), () -> {
      Path out = dir.resolve("stdout.txt");
      Path err = dir.resolve("stderr.txt");
      long start = System.nanoTime();
      Process process = new ProcessBuilder("java", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
          "check", "--profile", hostile.file().toString(), "apps/html_render")
          .directory(fixtures.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      boolean finished = process.waitFor(5, TimeUnit.SECONDS);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String stderr = Files.readString(err);
      assertTrue(finished, hostile.name() + " still running after 5 s; stderr: " + stderr);
      assertEquals(2, process.exitValue(), hostile.name() + " (" + millis + " ms): " + stderr);
      assertEquals("", Files.readString(out), hostile.name());
      assertEquals(1, stderr.lines().count(), stderr);
      assertTrue(stderr.startsWith("coldspy: " + hostile.file() + ": "), stderr);
      assertTrue(stderr.contains(hostile.problem()), stderr);
    }));
  }
}
