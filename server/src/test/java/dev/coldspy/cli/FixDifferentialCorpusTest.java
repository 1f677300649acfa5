package dev.coldspy.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential fix corpus ({@link DifferentialCase}): each case's app is copied twice, {@code coldspy fix}
 * runs on one copy with a profile in which every start-up import is costly and never used
 * (scripts/fixcheck/all_unused_profile.py, regenerated and fixed again until nothing changes, so that
 * imports of a module already paid for by another statement get their turn), and then both copies are run
 * for real (scripts/fixcheck/probe.py: import the handler, call it per event, import every module, run the
 * case's probe, compile every file). The two observations must be identical, files outside the app must be
 * untouched, and the case's expectations (a fix applied, a refusal's reason) must hold.
 *
 * <p>A case marked {@code xfail} is a known failure (issue 13): the test passes while it still fails and
 * fails once it passes, so that the mark is removed rather than forgotten.
 */
class FixDifferentialCorpusTest {
  private static final Path SCRIPTS = Path.of("../scripts/fixcheck").toAbsolutePath().normalize();
  private static final int MAX_ROUNDS = 4;
  private static boolean pythonAvailable;

  @BeforeAll
  static void findPython() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys; assert sys.version_info >= (3, 10)").start();
      pythonAvailable = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      pythonAvailable = false;
    }
  }

  static Stream<DifferentialCase> cases() throws IOException {
    return DifferentialCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixedAppBehavesLikeTheOriginal(DifferentialCase c, @TempDir Path dir) throws Exception {
    assumeTrue(pythonAvailable, "python3 (3.10+) is not on the PATH");
    String failure = failure(c, dir);
    if (c.xfail() == null) {
      assertNull(failure, () -> c + ": " + failure);
    } else {
      assertNotNull(failure, () -> c + " is marked xfail (" + c.xfail() + ") but passes now: remove the mark");
    }
  }

  /** Why the case fails, or null when it passes. */
  private static String failure(DifferentialCase c, Path dir) throws Exception {
    Path before = dir.resolve("before");
    Path after = dir.resolve("after");
    c.writeTo(before);
    c.writeTo(after);
    List<String> fixed = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    StringBuilder transcript = new StringBuilder();
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Path profile = dir.resolve("profile-" + round + ".json");
      List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve("all_unused_profile.py").toString(),
          after.resolve("app").toString(), profile.toString()));
      c.sysPath().forEach(p -> command.addAll(List.of("--sys-path", after.resolve(p).toString())));
      python(command, dir);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
          "fix", "--profile", profile.toString(), after.resolve("app").toString());
      transcript.append("round ").append(round).append(":\n").append(out).append(err);
      if (status == ExitCodes.ERROR) {
        return "coldspy fix exited 2:\n" + transcript;
      }
      String outcomes = FixCommandTest.unwrapped(out.toString());
      List<String> fixedThisRound = outcomes.lines().filter(l -> l.contains(" fixed: ")
          && !l.contains(" not fixed: ")).toList();
      fixed.addAll(fixedThisRound);
      outcomes.lines().filter(l -> l.contains(" not fixed: ")).forEach(refused::add);
      if (fixedThisRound.isEmpty()) {
        break;
      }
    }
    for (String line : refused) {
      if (line.substring(line.indexOf(" not fixed: ") + " not fixed: ".length()).isBlank()) {
        return "a refusal without a reason: " + line;
      }
    }
    Process observingBefore = observe(c, before, dir.resolve("probe-before.txt"));
    Process observingAfter = observe(c, after, dir.resolve("probe-after.txt"));
    String observedBefore = output(observingBefore, dir.resolve("probe-before.txt"));
    String observedAfter = output(observingAfter, dir.resolve("probe-after.txt"));
    if (!observedBefore.equals(observedAfter)) {
      return "behaviour changed\n--- before\n" + observedBefore + "\n--- after\n" + observedAfter
          + "\n--- fixed app:\n" + appText(after.resolve("app")) + transcript;
    }
    for (Map.Entry<String, String> file : c.files().entrySet()) {
      if (!file.getKey().startsWith("app/")) {
        Path outside = after.resolve(file.getKey());
        if (!Files.readString(outside, StandardCharsets.UTF_8).equals(file.getValue())) {
          return "a file outside the project was changed: " + file.getKey() + "\n" + transcript;
        }
      }
    }
    for (String link : c.symlinks().keySet()) {
      if (!Files.isSymbolicLink(after.resolve(link))) {
        return "the symlink " + link + " was replaced by a file\n" + transcript;
      }
    }
    if (c.expectFixed() && fixed.isEmpty()) {
      return "no fix was applied\n" + transcript;
    }
    for (String reason : c.expectedRefusals()) {
      if (refused.stream().noneMatch(l -> l.contains(reason))) {
        return "no finding was refused with a reason containing '" + reason + "'\n" + transcript;
      }
    }
    return null;
  }

  /** Starts probe.py on one copy (both copies are observed at once); its errors go to {@code errors}. */
  private static Process observe(DifferentialCase c, Path copy, Path errors) throws IOException {
    List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve("probe.py").toString(),
        copy.resolve("app").toString()));
    c.events().forEach(e -> command.addAll(List.of("--event", e)));
    c.sysPath().forEach(p -> command.addAll(List.of("--sys-path", copy.resolve(p).toString())));
    if (c.files().containsKey("probe.py")) {
      command.addAll(List.of("--probe", copy.resolve("probe.py").toString()));
    }
    return start(command, copy, errors);
  }

  private static String python(List<String> arguments, Path dir) throws Exception {
    Path errors = dir.resolve("python-stderr.txt");
    return output(start(arguments, dir, errors), errors);
  }

  private static Process start(List<String> arguments, Path dir, Path errors) throws IOException {
    List<String> command = new ArrayList<>(List.of("python3", "-B"));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("PYTHONHASHSEED", "0");
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    builder.redirectError(errors.toFile());
    return builder.start();
  }

  /** What a started Python printed; an error when it fails or takes over a minute. */
  private static String output(Process process, Path errors) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(process.info().commandLine().orElse("python3") + ": timed out");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(process.info().commandLine().orElse("python3") + ": exit " + process.exitValue()
          + "\n" + output + Files.readString(errors));
    }
    return output;
  }

  private static String appText(Path app) throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.walk(app)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".py")).sorted().toList()) {
        text.append("== ").append(app.relativize(file))
            .append(Files.isSymbolicLink(file) ? " (symlink)" : "").append('\n');
        text.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }
}
