package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendored-app fixture: minigraph, installed next to the handler, re-exports its drawing sub-package,
 * which brings in tinyplot (installed beside it) and never runs. {@code check} reports it on the handler's {@code import minigraph} and nothing inside the
 * library; {@code fix --vendored} defers the re-export, and the real Python then imports the handler without
 * the drawing sub-package and answers the same.
 */
class VendoredFixTest {
  @TempDir Path dir;

  private Path app() throws IOException {
    return FixCommandTest.copy(Path.of(CheckRunner.resource("vendored-app")), dir.resolve("vendored-app"));
  }

  @Test
  void checkReportsTheUnusedSubPackageOnTheHandlersLineOnly() throws IOException {
    Path app = app();
    CheckRunner.Run run = CheckRunner.check(app.toString());
    assertEquals(ExitCodes.FINDINGS, run.status(), run.err());
    assertTrue(run.out().contains("handler.py:3:1: CS106 minigraph loads minigraph.drawing, which never ran (saves"
        + " ~50 ms)\n"), run.out());
    assertTrue(run.out().contains("Found 1 finding in 1 file."), run.out());
  }

  @Test
  void fixVendoredDefersTheReexportAndTheHandlerAnswersTheSame() throws Exception {
    Path app = app();
    String before = python(app);
    CheckRunner.Run run = FixCommandTest.fix("--vendored", app.toString());
    // the library's line named as check names files: the app's path as given (here absolute), then below it
    assertTrue(run.out().startsWith(app + "/minigraph/__init__.py:3: CS106 (minigraph.drawing, for "),
        run.out() + run.err());
    assertTrue(FixCommandTest.unwrapped(run.out()).contains("handler.py:3) fixed: Defer `plot` to first access with"
        + " a module `__getattr__` (PEP 562)"), run.out() + run.err());
    String init = Files.readString(app.resolve("minigraph/__init__.py"));
    assertTrue(init.contains("def __getattr__(name):"), init);
    assertEquals(Files.readString(Path.of(CheckRunner.resource("vendored-app/handler.py"))),
        Files.readString(app.resolve("handler.py")), "the handler's own line is not changed");
    String after = python(app);
    assumeTrue(before != null, "python3 is not on the PATH");
    assertEquals("True {\"degree\": 4}", before);
    assertEquals("False {\"degree\": 4}", after);
  }

  @Test
  void onPython315TheUnusedPartBecomesLazyThroughABootstrapTheHandlerImportsFirst() throws Exception {
    Path app = app();
    CheckRunner.Run diff = FixCommandTest.fix("--diff", "--target-python", "3.15", app.toString());
    assertTrue(diff.out().contains("+++ b/coldspy_lazy_imports.py"), diff.out());
    assertTrue(diff.out().contains("+    \"minigraph.drawing\",  # 50.0 ms, never ran; minigraph/__init__.py:3 →"
        + " minigraph.drawing\n"), diff.out());
    assertTrue(diff.out().contains("+import coldspy_lazy_imports  # isort: skip - ColdSpy: first, makes never-run"
        + " library imports lazy on Python 3.15+\n import json\n"), diff.out());
    assertFalse(Files.exists(app.resolve("coldspy_lazy_imports.py")));
    CheckRunner.Run run = FixCommandTest.fix("--target-python", "3.15", app.toString());
    assertTrue(FixCommandTest.unwrapped(run.out()).contains("coldspy_lazy_imports.py: PEP 810 lazy imports for 1"
        + " library part that never ran (minigraph.drawing), imported first by handler.py"), run.out());
    // before 3.15 the bootstrap does nothing: the handler still imports and answers as before
    String output = python(app);
    assumeTrue(output != null, "python3 is not on the PATH");
    assertEquals("True {\"degree\": 4}", output);
    CheckRunner.Run again = FixCommandTest.fix("--diff", "--target-python", "3.15", app.toString());
    assertFalse(again.out().contains("coldspy_lazy_imports.py"), again.out());
  }

  /** Imports the handler, says whether the drawing sub-package was loaded, and calls it; null without python3. */
  private static String python(Path app) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("python3", "-B", "-c",
          "import sys, handler; loaded = 'minigraph.drawing' in sys.modules;"
              + " print(loaded, handler.handler({'edges': [[1, 2], [2, 3]]}, None))")
          .directory(app.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
    String output = new String(process.getInputStream().readAllBytes()).strip();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    return output;
  }
}
