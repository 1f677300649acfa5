package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
  record Run(int status, String out, String err) {}

  static Run coldspy(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void versionNamesTheBuild() {
    Run run = coldspy("--version");

    assertEquals(0, run.status());
    assertTrue(run.out().matches("coldspy \\d+\\.\\d+\\.\\d+.*\\R"), run.out());
  }

  @Test
  void helpListsTheSubcommandsAndExitStatuses() {
    Run run = coldspy("--help");

    assertEquals(0, run.status());
    assertTrue(run.out().matches("(?s).*profile +Profile a Python handler.*"), run.out());
    assertTrue(run.out().matches("(?s).*serve +Run the ColdSpy language server.*"), run.out());
    assertTrue(run.out().contains("Exit status: 0 no findings, 1 findings"), run.out());
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = coldspy();

    assertEquals(ExitCodes.ERROR, run.status());
    assertTrue(run.err().startsWith("Usage: coldspy"), run.err());
  }

  @Test
  void unknownCommandOrOptionIsOneLine() {
    Run unknownCommand = coldspy("chekc");
    Run unknownOption = coldspy("profile", "handler.py:handler", "--event", "e.json", "--cold-start", "3");

    assertEquals(ExitCodes.ERROR, unknownCommand.status());
    assertEquals("coldspy: Unmatched argument at index 0: 'chekc' (see 'coldspy --help')\n", unknownCommand.err());
    assertEquals(ExitCodes.ERROR, unknownOption.status());
    assertEquals(1, unknownOption.err().lines().count(), unknownOption.err());
    assertTrue(unknownOption.err().startsWith("coldspy: Unknown options: '--cold-start', '3'"), unknownOption.err());
    assertTrue(unknownOption.err().endsWith("(see 'coldspy profile --help')\n"), unknownOption.err());
  }
}
