package dev.coldspy.cli;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.AnalysisJson;
import dev.coldspy.engine.AppSources;
import dev.coldspy.engine.Engine;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.HandlerSummary;
import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.KnowledgeException;
import dev.coldspy.engine.PythonVersion;
import dev.coldspy.engine.Units;
import dev.coldspy.profile.ProfileFormatException;
import dev.coldspy.profile.ProfileLoader;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coldspy check}: ranks the import statements of an application by the import time they cost per
 * cold start, one finding per line in the compiler convention {@code path:line:col: CODE message}, then a
 * summary. Exit status: 0 nothing to report, 1 findings (or an init-time budget exceeded), 2 bad input.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Reports the import statements that make cold starts slow, ranked by the milliseconds a fix would save.",
      "Exit status: 0 nothing found, 1 findings or budget exceeded, 2 bad input."
    })
public final class CheckCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FINDINGS = 1;
  static final int BAD_INPUT = 2;
  private static final String PROFILES_DIRECTORY = ".coldspy/profiles";

  /** Output formats. */
  enum Format {
    text,
    json,
    sarif
  }

  @Spec CommandSpec spec;

  @Option(names = "--profile", paramLabel = "P",
      description = "Profile file or directory (JSON, ColdSpy .pkl, -X importtime log); repeatable."
          + " Default: the .coldspy/profiles/ directory of the project.")
  List<Path> profiles = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or sarif.")
  Format format = Format.text;

  @Option(names = "--min-ms", paramLabel = "N",
      description = "Report statements costing at least N ms per cold start (default 10).")
  Double minMs;

  @Option(names = "--budget-ms", paramLabel = "N",
      description = "Fail when the handler's median init time exceeds N ms.")
  Double budgetMs;

  @Option(names = "--target-python", paramLabel = "X.Y",
      description = "Python version the code must run on (decides PEP 810 and rewrite fixes; default 3.12).")
  String targetPython;

  @Option(names = "--knowledge", paramLabel = "FILE",
      description = "Knowledge file to use instead of the bundled one (see knowledge.toml in the jar).")
  Path knowledgeFile;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Python files or directories of the app.")
  List<Path> paths = new ArrayList<>();

  private int status = OK;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      EngineSettings settings = settings();
      Knowledge knowledge = knowledgeFile == null ? Knowledge.bundled() : Knowledge.load(knowledgeFile);
      Engine engine = new Engine(knowledge, settings);
      List<Analysis> analyses = new ArrayList<>();
      for (Map.Entry<Path, List<Path>> app : applications(err).entrySet()) {
        analyze(engine, app.getKey(), app.getValue(), err).ifPresent(analyses::add);
      }
      if (analyses.isEmpty()) {
        return BAD_INPUT;
      }
      boolean budgetExceeded = print(analyses, out);
      boolean findings = analyses.stream().anyMatch(a -> !a.findings().isEmpty());
      out.flush();
      return status == BAD_INPUT ? BAD_INPUT : findings || budgetExceeded ? FINDINGS : OK;
    } catch (BadInput | KnowledgeException e) {
      err.println("coldspy: " + e.getMessage());
      return BAD_INPUT;
    }
  }

  private EngineSettings settings() throws BadInput {
    EngineSettings settings = EngineSettings.DEFAULTS;
    if (minMs != null) {
      if (minMs < 0) {
        throw new BadInput("--min-ms must not be negative: " + minMs);
      }
      settings = settings.withMinMs(minMs);
    }
    if (targetPython != null) {
      try {
        settings = settings.withTargetPython(PythonVersion.parse(targetPython));
      } catch (IllegalArgumentException e) {
        throw new BadInput("--target-python: " + e.getMessage());
      }
    }
    return settings;
  }

  /**
   * The applications to check: each root directory with the profile files or directories for it. With
   * {@code --profile} all paths are one application rooted at the first path; otherwise each path goes with
   * the nearest {@code .coldspy/profiles/} directory at or above it.
   */
  private Map<Path, List<Path>> applications(PrintWriter err) throws BadInput {
    Map<Path, List<Path>> apps = new LinkedHashMap<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new BadInput(path + ": no such file or directory");
      }
      Path root = Files.isDirectory(path) ? path : parentOf(path);
      if (!profiles.isEmpty()) {
        apps.putIfAbsent(apps.isEmpty() ? root : apps.keySet().iterator().next(), profiles);
        continue;
      }
      Path project = projectWithProfiles(root)
          .orElseThrow(() -> new BadInput(path + ": no profiles: pass --profile, or record one into "
              + PROFILES_DIRECTORY + "/ with 'coldspy profile'"));
      apps.putIfAbsent(project, List.of(project.resolve(PROFILES_DIRECTORY)));
    }
    return apps;
  }

  private static Optional<Path> projectWithProfiles(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(PROFILES_DIRECTORY))) {
        return Optional.of(relativeToWorkingDirectory(dir, start));
      }
    }
    return Optional.empty();
  }

  /** Keeps the user's relative spelling of paths (so findings print as the user typed them). */
  private static Path relativeToWorkingDirectory(Path absolute, Path asGiven) {
    if (asGiven.isAbsolute()) {
      return absolute;
    }
    Path cwd = Path.of("").toAbsolutePath();
    Path relative = cwd.relativize(absolute);
    return relative.toString().isEmpty() ? Path.of(".") : relative;
  }

  private Optional<Analysis> analyze(Engine engine, Path root, List<Path> profilePaths, PrintWriter err)
      throws BadInput {
    ProfileLoader.Result loaded = ProfileLoader.load(profilePaths, null);
    for (ProfileFormatException error : loaded.errors()) {
      err.println("coldspy: " + error.getMessage());
      status = BAD_INPUT;
    }
    if (loaded.profiles().isEmpty()) {
      if (loaded.errors().isEmpty()) {
        err.println("coldspy: " + profilePaths.get(0) + ": no profile files found");
      }
      status = BAD_INPUT;
      return Optional.empty();
    }
    ProfileSet profileSet = loaded.profiles().get();
    List<AppSources.Parsed> parsed = new ArrayList<>();
    for (Path file : pythonFiles(root)) {
      parsed.add(new AppSources.Parsed(file.toString(), slashes(root.relativize(file)),
          PythonModule.parse(read(file), ModuleIdentity.forFile(file))));
    }
    return Optional.of(engine.analyze(profileSet, AppSources.of(parsed)));
  }

  /**
   * Prints the analyses in the chosen format; returns true when a handler exceeds the budget.
   */
  private boolean print(List<Analysis> analyses, PrintWriter out) {
    boolean exceeded = false;
    switch (format) {
      case json -> out.print(AnalysisJson.write(analyses));
      case sarif -> out.print(SarifWriter.write(analyses, version()));
      case text -> {
        int count = 0;
        TreeSet<String> files = new TreeSet<>();
        for (Analysis analysis : analyses) {
          for (Finding finding : analysis.findings()) {
            out.println(finding.file() + ":" + finding.line() + ":" + finding.column() + ": "
                + finding.rule().code() + " " + finding.message());
            files.add(finding.file());
            count++;
          }
        }
        for (Analysis analysis : analyses) {
          out.println(summaryLine(analysis.summary()));
          for (String note : analysis.summary().notes()) {
            out.println("  note: " + note);
          }
        }
        out.println(count == 0 ? "All checks passed!" : "Found " + count + (count == 1 ? " finding" : " findings")
            + " in " + files.size() + (files.size() == 1 ? " file." : " files."));
      }
    }
    if (budgetMs != null) {
      for (Analysis analysis : analyses) {
        HandlerSummary summary = analysis.summary();
        if (summary.initUs().median() > budgetMs * 1000) {
          exceeded = true;
          if (format == Format.text) {
            out.println(summary.app() + ": init " + Units.ms(summary.initUs().median())
                + " (median) exceeds the budget of " + Units.ms(budgetMs * 1000));
          }
        }
      }
    }
    return exceeded;
  }

  private static String summaryLine(HandlerSummary summary) {
    return summary.app() + ": init " + Units.ms(summary.initUs().median()) + " median (p90 "
        + Units.ms(summary.initUs().p90()) + ") over " + summary.coldStarts()
        + (summary.coldStarts() == 1 ? " cold start" : " cold starts") + "; flagged imports "
        + Units.ms(summary.attributableUs()) + "; estimated saving " + Units.ms(summary.savingUs())
        + " per cold start";
  }

  private static String version() {
    String version = CheckCommand.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** The Python files under a directory (or the file itself), skipping hidden, cache and virtualenv dirs. */
  static List<Path> pythonFiles(Path root) throws BadInput {
    if (!Files.isDirectory(root)) {
      return List.of(root);
    }
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
          boolean skip = !dir.equals(root) && (name.startsWith(".") || name.equals("__pycache__")
              || name.equals("node_modules") || name.equals("site-packages")
              || Files.exists(dir.resolve("pyvenv.cfg")));
          return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (file.getFileName().toString().endsWith(".py")) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new BadInput(root + ": cannot list directory: " + e.getMessage());
    }
    files.sort(null);
    return files;
  }

  /** Reads a source file; bytes that are not UTF-8 become U+FFFD rather than failing the whole check. */
  private static String read(Path file) throws BadInput {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (IOException e) {
      throw new BadInput(file + ": cannot read: " + e.getMessage());
    }
  }

  private static Path parentOf(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private static String slashes(Path relative) {
    return relative.toString().replace('\\', '/');
  }

  /** Bad input from the command line; the message is one line naming the file or option. */
  static final class BadInput extends Exception {
    BadInput(String message) {
      super(message);
    }
  }
}
