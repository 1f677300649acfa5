package dev.coldspy.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile input of issue 13 ends, at reader level, in one printable line {@code <file>: <problem>} within
 * seconds (the packaged CLI is tested on the same files, under a 512 MB heap, by {@code HostileProfilesIT}).
 */
class HostileProfilesTest {
  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyHostileInputIsOneLineErrorWithinSeconds() throws IOException {
    List<HostileProfiles.Case> cases = HostileProfiles.write(dir, TestProfiles.ordersRun1());
    return cases.stream().map(hostile -> DynamicTest.dynamicTest(hostile.name(), () -> {
      String message = rejection(hostile.file());
      assertTrue(message.startsWith(hostile.file() + ": "), message);
      assertTrue(message.contains(hostile.problem()), message);
    }));
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("pipe_app.json");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");

    assertEquals(fifo + ": is not a regular file (a device, pipe or socket); profiles are read only from regular"
        + " files", rejection(fifo));
  }

  @Test
  void controlCharactersInAFileNameAreEscaped() throws Exception {
    Path named = dir.resolve("evil\u001b[31mapp\r.log");
    Files.writeString(named, "no records here\n");

    assertEquals(dir + "/evil\\x1b[31mapp\\x0d.log: no '-X importtime' records found (1 lines read)",
        rejection(named));
  }

  @Test
  void controlCharactersInProfileStringsAreEscapedWhereTheyAreRead() throws Exception {
    Path json = TestProfiles.editedCopy(TestProfiles.ordersRun1(), dir, "orders_app.json",
        "\"name\": \"orders_app\"", "\"name\": \"orders\\u001b]0;x\\u0007_app\"");
    Path log = dir.resolve("csv_app.log");
    Files.writeString(log, "import time:       366 |        366 | evil\u001b[2Jmodule\n");

    assertEquals("orders\\x1b]0;x\\x07_app", ProfileReader.read(json).app().name());
    assertEquals("evil\\x1b[2Jmodule", ProfileReader.read(log).coldStarts().get(0).modules().get(0).name());
  }

  @Test
  void aProblemQuotingALongValueIsCut() throws Exception {
    Path json = TestProfiles.editedCopy(TestProfiles.ordersRun1(), dir, "orders_app.json",
        "\"format\": \"coldspy-profile\"", "\"format\": \"" + "x".repeat(5000) + "\"");

    String message = rejection(json);

    assertTrue(message.endsWith("... (4063 more characters)"), message);
  }

  @Test
  void aTimeOfExactlyOneDayIsKeptAndOneMicrosecondMoreIsNot() throws Exception {
    Path oneDay = dir.resolve("day_app.log");
    Files.writeString(oneDay, "import time: 86400000000 | 86400000000 | slow\n");
    Path more = dir.resolve("more_app.log");
    Files.writeString(more, "import time: 1 | 86400000001 | slow\n");

    assertEquals(86_400_000_000L, ProfileReader.read(oneDay).coldStarts().get(0).initUs());
    assertEquals(more + ": import time 86400000001 us is beyond one day (86400000000 us), not a real measurement"
        + " at line 1", rejection(more));
  }

  /** The one-line error reading {@code file} ends in, checked to be printable and quick. */
  static String rejection(Path file) {
    String message = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(ProfileFormatException.class, () -> ProfileReader.read(file)).getMessage());
    assertEquals(1, message.lines().count(), message);
    assertEquals(PrintableText.of(message), message, "control characters in the message");
    return message;
  }
}
