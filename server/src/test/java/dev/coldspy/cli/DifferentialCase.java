package dev.coldspy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of the differential fix corpus: {@code src/test/resources/fix-corpus/differential/<class>/<case>.txtar},
 * a txtar archive (directives, then files each introduced by a {@code -- path --} line). Files under
 * {@code app/} are the project {@code coldspy fix} runs on; other files are outside it (a third-party package,
 * a probe script, a file a symlink points to).
 *
 * <pre>
 * # a comment
 * event {"kind": "a"}           # a handler event, JSON (repeatable); the handler is app/handler.py:handler
 * sys-path site                  # a directory (of the case) the app imports from, like site-packages
 * symlink app/shared.py -> ../outside/shared.py   # a symbolic link to create
 * expect fixed                   # at least one fix must be applied (the case is not vacuous)
 * expect refusal is used by      # some finding must be left unfixed with a reason containing this
 * xfail the fix breaks ...       # known to fail today (issue 13): the test asserts that it still does
 * </pre>
 *
 * A file {@code probe.py} at the case's top is run after the app is imported (see scripts/fixcheck/probe.py).
 */
record DifferentialCase(
    String name,
    String caseClass,
    Map<String, String> files,
    List<String> events,
    List<String> sysPath,
    Map<String, String> symlinks,
    boolean expectFixed,
    List<String> expectedRefusals,
    String xfail) {

  static Path root() {
    try {
      return Path.of(DifferentialCase.class.getResource("/fix-corpus/differential").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<DifferentialCase> all() throws IOException {
    try (Stream<Path> walk = Files.walk(root())) {
      return walk.filter(p -> p.toString().endsWith(".txtar")).sorted().map(DifferentialCase::load).toList().stream();
    }
  }

  static DifferentialCase load(Path archive) {
    String text;
    try {
      text = Files.readString(archive, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String caseClass = archive.getParent().getFileName().toString();
    String name = caseClass + "/" + archive.getFileName().toString().replaceFirst("\\.txtar$", "");
    Map<String, String> files = new LinkedHashMap<>();
    List<String> events = new ArrayList<>();
    List<String> sysPath = new ArrayList<>();
    Map<String, String> symlinks = new LinkedHashMap<>();
    List<String> refusals = new ArrayList<>();
    boolean expectFixed = false;
    String xfail = null;
    String currentFile = null;
    StringBuilder content = new StringBuilder();
    for (String line : text.split("(?<=\n)")) {
      String stripped = line.strip();
      if (stripped.startsWith("-- ") && stripped.endsWith(" --") && stripped.length() > 6) {
        if (currentFile != null) {
          files.put(currentFile, content.toString());
        }
        currentFile = stripped.substring(3, stripped.length() - 3).strip();
        content.setLength(0);
        continue;
      }
      if (currentFile != null) {
        content.append(line);
        continue;
      }
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      String[] words = stripped.split("\\s+", 2);
      String rest = words.length > 1 ? words[1].strip() : "";
      switch (words[0]) {
        case "event" -> events.add(rest);
        case "sys-path" -> sysPath.add(rest);
        case "symlink" -> {
          String[] link = rest.split("\\s*->\\s*", 2);
          symlinks.put(link[0], link[1]);
        }
        case "expect" -> {
          if (rest.equals("fixed")) {
            expectFixed = true;
          } else if (rest.startsWith("refusal ")) {
            refusals.add(rest.substring("refusal ".length()).strip());
          } else {
            throw new IllegalArgumentException(archive + ": unknown expectation: " + rest);
          }
        }
        case "xfail" -> xfail = rest;
        default -> throw new IllegalArgumentException(archive + ": unknown directive " + words[0]);
      }
    }
    if (currentFile != null) {
      files.put(currentFile, content.toString());
    }
    if (files.keySet().stream().noneMatch(f -> f.startsWith("app/"))) {
      throw new IllegalArgumentException(archive + ": no app/ files");
    }
    return new DifferentialCase(name, caseClass, files, events, sysPath, symlinks, expectFixed,
        List.copyOf(refusals), xfail);
  }

  /** Writes the case's files and symlinks under {@code dir}. */
  void writeTo(Path dir) throws IOException {
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = dir.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> link : symlinks.entrySet()) {
      Path at = dir.resolve(link.getKey());
      Files.createDirectories(at.getParent());
      Files.createSymbolicLink(at, Path.of(link.getValue()));
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
