package dev.coldspy.cli;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.AppSources;
import dev.coldspy.engine.Engine;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.KnowledgeException;
import dev.coldspy.engine.PythonVersion;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the commands that analyse a project share ({@code check}, {@code fix}, {@code report}): the settings
 * of the project ({@code [tool.coldspy]} under command-line overrides), its profiles (given, or found where
 * the settings say), its Python files, and the engine's analysis of them. Problems with single profiles are
 * printed as one line each and remembered ({@link #hadErrors()}); problems that leave nothing to analyse
 * are {@link CliError}s.
 */
public final class ProjectAnalysis {
  private final List<Path> paths;
  private final Settings settings;
  private final Path sourceRoot;
  private boolean hadErrors;

  /**
   * @param paths the Python files or directories of the app, at least one
   * @param overrides settings given on the command line, by their {@code [tool.coldspy]} key; null values
   *     are not given
   */
  public ProjectAnalysis(List<Path> paths, Map<String, Object> overrides, PrintWriter err) {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new CliError(path + ": no such file or directory");
      }
    }
    this.paths = List.copyOf(paths);
    this.sourceRoot = commonDirectory(paths);
    SettingsLoader.Loaded loaded = SettingsLoader.forPath(paths.get(0));
    loaded.warnings().forEach(warning -> err.println("coldspy: warning: " + warning));
    SettingsParser.Result result = SettingsParser.apply(loaded.settings(), overrides, key -> "--" + key, null);
    if (!result.warnings().isEmpty()) {
      // A wrong value in pyproject.toml is a warning; on the command line the user is there to fix it.
      throw new CliError(result.warnings().get(0).replaceFirst(" \\(ignored\\)$", ""));
    }
    this.settings = result.settings();
  }

  public Settings settings() {
    return settings;
  }

  /** The directory the analysis' display paths are relative to. */
  public Path sourceRoot() {
    return sourceRoot;
  }

  /** True when a profile was left out because it could not be read. */
  public boolean hadErrors() {
    return hadErrors;
  }

  /** The knowledge file given on the command line, or the bundled one. */
  public static Knowledge knowledge(Path knowledgeFile) {
    try {
      return knowledgeFile == null ? Knowledge.bundled() : Knowledge.load(knowledgeFile);
    } catch (KnowledgeException e) {
      throw new CliError(e.getMessage());
    }
  }

  /**
   * Loads profiles: the given ones, else those the settings point at. Empty when none could be used (the
   * reasons are printed).
   *
   * @param what what the profiles are, for messages ("profiles", "before-profiles")
   */
  public Optional<ProfileSet> profiles(List<Path> given, String what, PrintWriter err) {
    List<Path> profilePaths = given.isEmpty() ? settings.profilePaths() : given;
    if (given.isEmpty() && profilePaths.stream().noneMatch(Files::exists)) {
      throw new CliError(paths.get(0) + ": no " + what + " in " + String.join(", ", settings.profiles())
          + ": pass --profile, or record one with 'coldspy profile'");
    }
    ProfileLoader.Result loaded = ProfileLoader.load(profilePaths, settings.app());
    for (ProfileFormatException error : loaded.errors()) {
      err.println("coldspy: " + error.getMessage());
      hadErrors = true;
    }
    loaded.warnings().forEach(warning -> err.println("coldspy: warning: " + warning));
    if (loaded.profiles().isEmpty() && loaded.errors().isEmpty()) {
      err.println("coldspy: " + profilePaths.get(0) + ": no profile files found");
    }
    return loaded.profiles();
  }

  /** An analysis and the Python version the code must run on (from the settings or the profiles). */
  public record Analyzed(Analysis analysis, PythonVersion targetPython) {}

  /** Parses the Python files under the given paths (each once), named relative to {@link #sourceRoot()}. */
  public List<AppSources.Parsed> parseSources() {
    List<AppSources.Parsed> parsed = new ArrayList<>();
    for (Path given : paths) {
      for (Path file : pythonFiles(given)) {
        String relative = slashes(sourceRoot.relativize(file.toAbsolutePath().normalize()));
        if (parsed.stream().noneMatch(p -> p.relativePath().equals(relative))) {
          parsed.add(new AppSources.Parsed(file.toString(), relative,
              PythonModule.parse(read(file), ModuleIdentity.forFile(file))));
        }
      }
    }
    return parsed;
  }

  /** Runs the engine over parsed sources (the fix command keeps them to plan fixes on the same trees). */
  public Analyzed analyze(ProfileSet profiles, Knowledge knowledge, List<AppSources.Parsed> sources) {
    Engine engine = new Engine(knowledge, EngineSettings.of(settings));
    return new Analyzed(engine.analyze(profiles, AppSources.of(sources)), engine.targetPython(profiles));
  }

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

  /** The Python files under {@code root} (or {@code root} itself), skipping hidden, cache and venv folders. */
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

  /** Reads a source file; bytes that are not UTF-8 become U+FFFD rather than failing the whole run. */
  static String read(Path file) {
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
