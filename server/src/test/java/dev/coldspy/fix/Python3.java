package dev.coldspy.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs snippets with the machine's {@code python3}, for tests that check generated code's behaviour. */
final class Python3 {
  private Python3() {}

  /** True when {@code python3} runs. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("python3", "--version").start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code code} in {@code directory} (first on {@code sys.path}); asserts it exits 0; its output, stripped. */
  static String run(Path directory, String code) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("python3", "-B", "-c", code).directory(directory.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes()).strip();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python3 did not finish");
    assertEquals(0, process.exitValue(), output);
    return output;
  }
}
