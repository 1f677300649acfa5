package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coldspy.engine.PythonVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixed file of the corpus compiles with the real Python ({@code python3 -m py_compile}), when
 * {@code python3} is on the PATH. Files using PEP 810 syntax are compiled only by a Python that has it.
 */
class FixCorpusCompileTest {
  private static String pythonVersion;

  @BeforeAll
  static void findPython() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])").start();
      if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
        pythonVersion = new String(p.getInputStream().readAllBytes()).strip();
      }
    } catch (IOException e) {
      pythonVersion = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Stream<FixCorpus> compilableCases() throws IOException {
    return FixCorpus.all().filter(c -> c.refusal() == null && !c.syntaxErrors());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compilableCases")
  void fixedFileCompiles(FixCorpus c) throws Exception {
    assumeTrue(pythonVersion != null, "python3 is not on the PATH");
    boolean usesPep810 = c.expected().lines().anyMatch(l -> l.strip().startsWith("lazy "));
    assumeTrue(
        !usesPep810 || PythonVersion.parse(pythonVersion).compareTo(dev.coldspy.engine.PythonVersion.PEP_810) >= 0,
        "PEP 810 syntax needs Python 3.15+, found " + pythonVersion);
    Path dir = Files.createTempDirectory("coldspy-compile");
    Path file = dir.resolve("fixed.py");
    Files.writeString(file, c.expected());
    Process p =
        new ProcessBuilder("python3", "-B", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True, cfile=sys.argv[1] + 'c')", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    Files.deleteIfExists(dir.resolve("fixed.pyc"));
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
    assertEquals(0, p.exitValue(), c + ": " + output);
  }
}
