package dev.coldspy.fix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs ruff's isort rules ({@code ruff check --select I}, default settings) for tests that check a fix keeps an
 * isort-clean file clean. ruff is installed by scripts/setup.d/20-python.sh; tests skip without it.
 */
public final class Ruff {
  private Ruff() {}

  /** ruff's exit status (0: clean) and its findings. */
  public record Result(int status, String output) {
    public boolean clean() {
      return status == 0;
    }
  }

  /** True when {@code python3 -m ruff} runs. */
  public static boolean available() {
    return run(null, null, "--version").clean();
  }

  /**
   * The import findings for the Python files under {@code directory} but those under {@code excluded} (paths
   * relative to it), with the directory as the project root (so that its own packages are first-party).
   */
  public static Result checkImports(Path directory, List<String> excluded) {
    List<String> args = new ArrayList<>(
        List.of("check", "--isolated", "--select", "I", "--no-cache", "--output-format", "concise"));
    if (!excluded.isEmpty()) {
      args.add("--extend-exclude=" + String.join(",", excluded));
    }
    args.add(".");
    return run(directory, null, args.toArray(String[]::new));
  }

  /** The import findings for one module's source. */
  public static Result checkImports(String source) {
    return run(null, source, "check", "--isolated", "--select", "I", "--no-cache", "--output-format", "concise",
        "--stdin-filename", "module.py", "-");
  }

  private static Result run(Path directory, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("python3", "-m", "ruff"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    try {
      Process process = builder.start();
      try (var input = process.getOutputStream()) {
        if (stdin != null) {
          input.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(124, "ruff did not finish in 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }
}
