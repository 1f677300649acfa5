package dev.coldspy.fix;

import dev.coldspy.engine.PythonVersion;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fix corpus under {@code src/test/resources/fix-corpus/<fix>/<case>/}: {@code input.py}, a
 * {@code case.txt} and either {@code expected.py} (the fixed file) or a {@code refusal} line in
 * {@code case.txt} (a phrase the reason must contain: the code must not be changed).
 *
 * <p>{@code case.txt}, one directive per line ({@code #} comments):
 *
 * <pre>
 * fix LAZY_LOAD line 3 names Policy   # a request: kind, 1-based statement line, optional names
 * fix REMOVE line 1 statement 2       # the second statement on line 1 ({@code import a; import b})
 * python 3.15                         # target Python (default PythonVersion.DEFAULT_TARGET)
 * module app.handlers.rule            # the file's module name (relative imports)
 * package-init                        # the file is a package __init__.py
 * syntax-errors                       # the input has syntax errors (kept, not added to)
 * refusal is used in a decorator      # expected refusal reason (substring)
 * side-effect-module myapp.plugins     # configured in side-effect-modules
 * project-module myapp.plugins p.py    # a module of the project, its source in the case directory
 * </pre>
 */
record FixCorpus(
    String name,
    Path directory,
    String input,
    String expected,
    List<Request> requests,
    FixOptions options,
    ModuleIdentity identity,
    boolean syntaxErrors,
    String refusal) {

  /**
   * One requested fix, by line so that cases stay readable, and by its place among the statements on that
   * line (1-based).
   */
  record Request(FixKind kind, int line, int statementOnLine, Set<String> names) {}

  static Path root() {
    try {
      return Path.of(FixCorpus.class.getResource("/fix-corpus").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<FixCorpus> all() throws IOException {
    List<FixCorpus> cases = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root())) {
      for (Path caseFile : files.filter(p -> p.getFileName().toString().equals("case.txt")).sorted().toList()) {
        cases.add(load(caseFile.getParent()));
      }
    }
    return cases.stream();
  }

  static FixCorpus load(Path directory) {
    List<Request> requests = new ArrayList<>();
    FixOptions options = FixOptions.defaults();
    ModuleIdentity identity = ModuleIdentity.UNKNOWN;
    boolean syntaxErrors = false;
    boolean packageInit = false;
    String moduleName = null;
    String refusal = null;
    List<String> configuredSideEffects = new ArrayList<>();
    Map<String, PythonModule> projectModules = new java.util.TreeMap<>();
    for (String raw : read(directory.resolve("case.txt")).split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "fix" -> {
          Set<String> names = new LinkedHashSet<>();
          int at = 0;
          int statementOnLine = 1;
          for (int i = 2; i < words.length; i++) {
            if (words[i].equals("line")) {
              at = Integer.parseInt(words[++i]);
            } else if (words[i].equals("statement")) {
              statementOnLine = Integer.parseInt(words[++i]);
            } else if (words[i].equals("names")) {
              for (String n : words[++i].split(",")) {
                names.add(n);
              }
            }
          }
          requests.add(new Request(FixKind.valueOf(words[1]), at, statementOnLine, names));
        }
        case "python" -> options = options.withTargetPython(PythonVersion.parse(words[1]));
        case "module" -> moduleName = words[1];
        case "package-init" -> packageInit = true;
        case "syntax-errors" -> syntaxErrors = true;
        case "refusal" -> refusal = line.substring("refusal".length()).strip();
        case "side-effect-module" -> configuredSideEffects.add(words[1]);
        case "project-module" -> projectModules.put(words[1],
            PythonModule.parse(read(directory.resolve(words[2])), new ModuleIdentity(words[1], false)));
        default -> throw new IllegalArgumentException(directory + "/case.txt: unknown directive " + words[0]);
      }
    }
    if (!configuredSideEffects.isEmpty() || !projectModules.isEmpty()) {
      options = options.forProject(configuredSideEffects, projectModules);
    }
    if (moduleName != null || packageInit) {
      identity = new ModuleIdentity(moduleName, packageInit);
    }
    Path expected = directory.resolve("expected.py");
    return new FixCorpus(
        directory.getParent().getFileName() + "/" + directory.getFileName(),
        directory,
        read(directory.resolve("input.py")),
        Files.exists(expected) ? read(expected) : null,
        List.copyOf(requests),
        options,
        identity,
        syntaxErrors,
        refusal);
  }

  PythonModule parse(String source) {
    return PythonModule.parse(source, identity);
  }

  /** The requests as the fix engine takes them: each statement by its index in the file. */
  List<FixRequest> fixRequests(PythonModule module) {
    List<FixRequest> result = new ArrayList<>();
    for (Request request : requests) {
      result.add(new FixRequest(statement(module, request).index(), request.names(), request.kind()));
    }
    return result;
  }

  /** The statement a request names: the n-th of those starting on its line. */
  ImportStatement statement(PythonModule module, Request request) {
    List<ImportStatement> onLine = module.imports().statements().stream()
        .filter(statement -> statement.profileLine() == request.line())
        .toList();
    if (onLine.size() < request.statementOnLine()) {
      throw new AssertionError(name + ": no import statement " + request.statementOnLine() + " on line "
          + request.line());
    }
    return onLine.get(request.statementOnLine() - 1);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
