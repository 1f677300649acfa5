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
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsLoader;
import dev.coldspy.settings.SettingsParser;
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
 * summary. Exit status ({@link ExitCodes}): 0 nothing at or above the failing severity, 1 findings at or
 * above it (or the init-time budget exceeded), 2 bad input (one line naming the file and the problem; the
 * good profiles are still used).
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Reports the import statements that make cold starts slow, ranked by the milliseconds a fix would save.",
      "Exit status: 0 nothing at or above fail-on, 1 such findings or the budget exceeded, 2 bad input."
    })
public final class CheckCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    text,
    json,
    sarif
  }

  @Spec CommandSpec spec;

  @Option(names = "--profile", paramLabel = "P",
      description = "Profile file or directory (JSON, ColdSpy .pkl, -X importtime log); repeatable."
          + " Default: 'profiles' of [tool.coldspy], else .coldspy/profiles/ of the project.")
  List<Path> profiles = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or sarif.")
  Format format = Format.text;

  @Option(names = "--min-ms", paramLabel = "N",
      description = "Report findings saving at least N ms per cold start (overrides min-ms of [tool.coldspy]).")
  Double minMs;

  @Option(names = "--budget-ms", paramLabel = "N",
      description = "Fail when the handler's median init time exceeds N ms (overrides budget-ms).")
  Double budgetMs;

  @Option(names = "--target-python", paramLabel = "X.Y",
      description = "Python version the code must run on (decides PEP 810 and rewrite fixes; overrides"
          + " target-python; default: the profiled interpreter's).")
  String targetPython;

  @Option(names = "--knowledge", paramLabel = "FILE",
      description = "Knowledge file to use instead of the bundled one (see knowledge.toml in the jar).")
  Path knowledgeFile;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Python files or directories of the app.")
  List<Path> paths = new ArrayList<>();

  private int status = ExitCodes.OK;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new CliError(path + ": no such file or directory");
      }
    }
    Settings settings = settings(err);
    Engine engine = new Engine(knowledge(), EngineSettings.of(settings));
    Optional<Analysis> analysis = analyze(engine, settings, err);
    if (analysis.isEmpty()) {
      return ExitCodes.ERROR;
    }
    List<Analysis> analyses = List.of(analysis.get());
    boolean budgetExceeded = print(analyses, settings.budgetMs(), out);
    boolean failing = analysis.get().findings().stream().anyMatch(f -> settings.failsCheck(f.severity()));
    out.flush();
    if (status == ExitCodes.ERROR) {
      return ExitCodes.ERROR;
    }
    return failing || budgetExceeded ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  Knowledge knowledge() {
    try {
      return knowledgeFile == null ? Knowledge.bundled() : Knowledge.load(knowledgeFile);
    } catch (KnowledgeException e) {
      throw new CliError(e.getMessage());
    }
  }

  /** {@code [tool.coldspy]} of the project of the first path, with the command line's options on top. */
  Settings settings(PrintWriter err) {
    SettingsLoader.Loaded loaded = SettingsLoader.forPath(paths.get(0));
    loaded.warnings().forEach(warning -> err.println("coldspy: warning: " + warning));
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("min-ms", minMs);
    overrides.put("budget-ms", budgetMs);
    overrides.put("target-python", targetPython);
    SettingsParser.Result result = SettingsParser.apply(loaded.settings(), overrides, key -> "--" + key, null);
    if (!result.warnings().isEmpty()) {
      // A wrong value in pyproject.toml is a warning; on the command line the user is there to fix it.
      throw new CliError(result.warnings().get(0).replaceFirst(" \\(ignored\\)$", ""));
    }
    return result.settings();
  }

  private Optional<Analysis> analyze(Engine engine, Settings settings, PrintWriter err) {
    return analyze(engine, settings, err, parseSources()).map(Analyzed::analysis);
  }

  /** An analysis and the Python version the code must run on (from the settings or the profiles). */
  record Analyzed(Analysis analysis, PythonVersion targetPython) {}

  /** Analyses already parsed sources (the fix command keeps them to plan fixes on the same trees). */
  Optional<Analyzed> analyze(Engine engine, Settings settings, PrintWriter err, List<AppSources.Parsed> parsed) {
    List<Path> profilePaths = profiles.isEmpty() ? settings.profilePaths() : profiles;
    if (profiles.isEmpty() && profilePaths.stream().noneMatch(Files::exists)) {
      throw new CliError(paths.get(0) + ": no profiles in " + String.join(", ", settings.profiles())
          + ": pass --profile, or record one with 'coldspy profile'");
    }
    ProfileLoader.Result loaded = ProfileLoader.load(profilePaths, settings.app());
    for (ProfileFormatException error : loaded.errors()) {
      err.println("coldspy: " + error.getMessage());
      status = ExitCodes.ERROR;
    }
    loaded.warnings().forEach(warning -> err.println("coldspy: warning: " + warning));
    if (loaded.profiles().isEmpty()) {
      if (loaded.errors().isEmpty()) {
        err.println("coldspy: " + profilePaths.get(0) + ": no profile files found");
      }
      return Optional.empty();
    }
    ProfileSet profileSet = loaded.profiles().get();
    return Optional.of(
        new Analyzed(engine.analyze(profileSet, AppSources.of(parsed)), engine.targetPython(profileSet)));
  }

  /** Parses the Python files under the command's paths. */
  List<AppSources.Parsed> parseSources() {
    Path root = commonDirectory(paths);
    List<AppSources.Parsed> parsed = new ArrayList<>();
    for (Path given : paths) {
      for (Path file : pythonFiles(given)) {
        String relative = slashes(root.relativize(file.toAbsolutePath().normalize()));
        if (parsed.stream().noneMatch(p -> p.relativePath().equals(relative))) {
          parsed.add(new AppSources.Parsed(file.toString(), relative,
              PythonModule.parse(read(file), ModuleIdentity.forFile(file))));
        }
      }
    }
    return parsed;
  }

  /** The deepest directory holding every path (a file's own directory for a single file). */
  private static Path commonDirectory(List<Path> paths) {
    Path common = null;
    for (Path path : paths) {
      Path absolute = path.toAbsolutePath().normalize();
      Path dir = Files.isDirectory(absolute) ? absolute : absolute.getParent();
      if (common == null) {
        common = dir;
      }
      while (!dir.startsWith(common)) {
        common = common.getParent();
      }
    }
    return common;
  }

  /**
   * Prints the analyses in the chosen format; returns true when a handler exceeds the budget.
   */
  private boolean print(List<Analysis> analyses, Double budgetMs, PrintWriter out) {
    boolean exceeded = false;
    switch (format) {
      case json -> out.print(AnalysisJson.write(analyses));
      case sarif -> out.print(SarifWriter.write(analyses, Main.Version.current()));
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

  /** The Python files under a directory (or the file itself), skipping hidden, cache and virtualenv dirs. */
  static List<Path> pythonFiles(Path root) {
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
      throw new CliError(root + ": cannot list directory: " + e.getMessage());
    }
    files.sort(null);
    return files;
  }

  /** Reads a source file; bytes that are not UTF-8 become U+FFFD rather than failing the whole check. */
  private static String read(Path file) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (IOException e) {
      throw new CliError(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String slashes(Path relative) {
    return relative.toString().replace('\\', '/');
  }
}
