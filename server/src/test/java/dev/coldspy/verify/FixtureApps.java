package dev.coldspy.verify;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import dev.coldspy.cli.Main;

/** Copies of the fixture apps without bytecode, as a deployment package built with {@code --no-compile} is. */
public final class FixtureApps {
  /** The repository's fixture apps (tests run in {@code server/}). */
  public static final Path APPS = Path.of("../fixtures/apps").toAbsolutePath().normalize();

  private FixtureApps() {}

  /** One run of the command line. */
  public record Run(int status, String out, String err) {}

  /** Runs {@code coldspy ARGS} in this JVM. */
  public static Run coldspy(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(status, out.toString(), err.toString());
  }

  /** Copies fixture app {@code name} to {@code target}, leaving out {@code __pycache__}. */
  public static Path copy(String name, Path target) throws IOException {
    copyTree(APPS.resolve(name), target);
    return target;
  }

  /** Copies {@code source} to {@code target} without {@code __pycache__} directories. */
  public static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path path : walk.filter(p -> !p.toString().contains("__pycache__")).toList()) {
        Path destination = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination);
        }
      }
    }
  }

  /** Runs {@code python3 -c code} and returns its stdout; fails on a non-zero exit. */
  public static String python(String code, String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", code));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new AssertionError("python3 failed: " + output);
    }
    return output;
  }

  /** Replaces the single occurrence of {@code from} in {@code file}: the edits tests make to a copy. */
  public static void edit(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    if (text.indexOf(from) < 0 || text.indexOf(from) != text.lastIndexOf(from)) {
      throw new AssertionError(file + ": expected exactly one '" + from + "'");
    }
    Files.writeString(file, text.replace(from, to));
  }
}
