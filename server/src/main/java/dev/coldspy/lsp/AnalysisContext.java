package dev.coldspy.lsp;

import dev.coldspy.engine.Engine;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.Knowledge;
import dev.coldspy.fix.FixOptions;
import dev.coldspy.profile.ProfileFormatException;
import dev.coldspy.profile.ProfileLoader;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.settings.Settings;
import dev.coldspy.settings.SettingsLoader;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the workspace analyses with, frozen at one moment: the profiled projects (each with its profiles,
 * sources and engine) and the editor's settings, plus the problems met while loading them. A new context is
 * made when settings or profiles change; a context never changes.
 */
final class AnalysisContext {
  /** Larger files are not analysed (a generated or data file, not a handler). */
  static final long MAX_FILE_BYTES = 2_000_000;
  static final String PROFILES_DIRECTORY = ".coldspy/profiles";
  private static final int MAX_SEARCH_DEPTH = 6;
  private static final int MAX_SOURCES_PER_PROJECT = 5_000;
  private static final Set<String> SKIPPED_DIRECTORIES =
      Set.of("__pycache__", "node_modules", "site-packages", "dist-packages", "venv", "env", "build", "dist",
          "target");
  private static final AtomicLong GENERATIONS = new AtomicLong();
  /** The bundled knowledge file, read once, when the first project loads (not at server start). */
  private static final class BundledKnowledge {
    static final Knowledge KNOWLEDGE = Knowledge.bundled();
  }

  static final AnalysisContext NONE =
      new AnalysisContext(List.of(), List.of(), ClientSettings.DEFAULTS, List.of(), new ParseCache());

  private final List<Path> roots;
  private final List<Project> projects;
  private final ClientSettings clientSettings;
  private final List<String> problems;
  private final ParseCache parses;
  private final long generation = GENERATIONS.incrementAndGet();

  private AnalysisContext(List<Path> roots, List<Project> projects, ClientSettings clientSettings,
      List<String> problems, ParseCache parses) {
    this.roots = List.copyOf(roots);
    this.projects = List.copyOf(projects);
    this.clientSettings = clientSettings;
    this.problems = List.copyOf(problems);
    this.parses = parses;
  }

  /**
   * Finds the profiled projects under the workspace roots (every {@code .coldspy/profiles/} directory, plus
   * the locations the editor's settings name) and loads their profiles. Never throws: what cannot be used is
   * a problem in {@link #problems()}.
   */
  static AnalysisContext load(List<Path> roots, Object clientSection) {
    ClientSettings client = ClientSettings.parse(clientSection);
    List<String> problems = new ArrayList<>(client.problems());
    // Candidate projects: every directory holding .coldspy/profiles/, and each workspace folder (its settings
    // may name profiles elsewhere).
    Set<Path> candidates = new LinkedHashSet<>();
    for (Path root : roots) {
      for (Path profilesDirectory : findProfileDirectories(root)) {
        candidates.add(profilesDirectory.getParent().getParent());
      }
      candidates.add(root.toAbsolutePath().normalize());
    }
    List<Project> projects = new ArrayList<>();
    Set<Path> seenLocations = new HashSet<>();
    for (Path directory : candidates) {
      SettingsLoader.Loaded loaded = SettingsLoader.forPath(directory);
      problems.addAll(loaded.warnings());
      Settings settings = client.over(loaded.settings());
      List<Path> locations = new ArrayList<>();
      for (Path location : settings.profilePaths()) {
        Path normalized = location.toAbsolutePath().normalize();
        if (Files.exists(normalized) && seenLocations.add(normalized)) {
          locations.add(normalized);
        }
      }
      if (!locations.isEmpty()) {
        loadProject(directory, locations, settings, problems).ifPresent(projects::add);
      }
    }
    // Deepest application root first, so a file belongs to the innermost project that contains it.
    projects.sort(Comparator.comparingInt((Project p) -> -p.appRoot().getNameCount()));
    return new AnalysisContext(roots, projects, client, problems.stream().distinct().toList(), new ParseCache());
  }

  private static Optional<Project> loadProject(
      Path directory, List<Path> locations, Settings settings, List<String> problems) {
    ProfileLoader.Result loaded = ProfileLoader.load(locations, settings.app());
    for (ProfileFormatException error : loaded.errors()) {
      problems.add(error.getMessage());
    }
    if (loaded.profiles().isEmpty()) {
      return Optional.empty();
    }
    ProfileSet profiles = loaded.profiles().get();
    Path appRoot = appRoot(directory, profiles);
    EngineSettings engineSettings = EngineSettings.of(settings);
    Engine engine = new Engine(BundledKnowledge.KNOWLEDGE, engineSettings);
    FixOptions fixes = FixOptions.defaults().withKnowledge(BundledKnowledge.KNOWLEDGE)
        .withTargetPython(engine.targetPython(profiles));
    return Optional.of(new Project(directory, appRoot, locations, Optional.of(profiles), pythonFiles(appRoot),
        engine, settings, fixes));
  }

  /**
   * Where the handler module lives: the project directory when the handler's file is there, else the
   * shallowest directory below it that holds that file, else the project directory.
   */
  private static Path appRoot(Path directory, ProfileSet profiles) {
    String handler = profiles.app().handler();
    if (handler == null) {
      return directory;
    }
    String handlerFile = handlerFile(handler);
    if (Files.isRegularFile(directory.resolve(handlerFile))) {
      return directory;
    }
    try (var found = Files.find(directory, 4,
        (path, attributes) -> attributes.isRegularFile() && path.endsWith(handlerFile)
            && !isSkipped(directory.relativize(path)))) {
      return found
          .map(path -> stripSuffix(path, Path.of(handlerFile)))
          .min(Comparator.comparingInt(Path::getNameCount))
          .orElse(directory);
    } catch (IOException | RuntimeException unreadable) {
      return directory;
    }
  }

  /**
   * The handler's file below the application root: {@code handler.py:handler} → {@code handler.py};
   * {@code src/app/handler.py:handler} → {@code handler.py} (the agent was run elsewhere, but the application
   * root is the handler's directory); {@code pkg.mod.handler} → {@code pkg/mod.py}.
   */
  static String handlerFile(String handler) {
    int colon = handler.indexOf(':');
    if (colon >= 0) {
      String file = handler.substring(0, colon).replace('\\', '/');
      return file.substring(file.lastIndexOf('/') + 1);
    }
    int lastDot = handler.lastIndexOf('.');
    String module = lastDot > 0 ? handler.substring(0, lastDot) : handler;
    return module.replace('.', '/') + ".py";
  }

  /** {@code handler.py:handler} → {@code handler}; {@code pkg.mod.handler} → {@code handler}. */
  static String handlerFunction(String handler) {
    int colon = handler.indexOf(':');
    if (colon >= 0) {
      return handler.substring(colon + 1);
    }
    int lastDot = handler.lastIndexOf('.');
    return lastDot >= 0 ? handler.substring(lastDot + 1) : handler;
  }

  private static Path stripSuffix(Path path, Path suffix) {
    Path result = path;
    for (int i = 0; i < suffix.getNameCount(); i++) {
      result = result.getParent();
    }
    return result;
  }

  private static boolean isSkipped(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if ((name.startsWith(".") && name.length() > 1) || SKIPPED_DIRECTORIES.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private static List<Path> findProfileDirectories(Path root) {
    List<Path> found = new ArrayList<>();
    walk(root, directory -> {
      Path profiles = directory.resolve(PROFILES_DIRECTORY);
      if (Files.isDirectory(profiles)) {
        found.add(profiles.toAbsolutePath().normalize());
      }
    }, null);
    return found;
  }

  private static List<Path> pythonFiles(Path appRoot) {
    List<Path> files = new ArrayList<>();
    walk(appRoot, directory -> { }, file -> {
      if (file.getFileName().toString().endsWith(".py") && files.size() < MAX_SOURCES_PER_PROJECT) {
        files.add(file.toAbsolutePath().normalize());
      }
    });
    files.sort(Comparator.naturalOrder());
    return files;
  }

  /** Visits directories (and files, if asked) below {@code root}, skipping hidden and tool directories. */
  private static void walk(Path root, java.util.function.Consumer<Path> onDirectory,
      java.util.function.Consumer<Path> onFile) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_SEARCH_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
              if (!directory.equals(root) && isSkipped(root.relativize(directory))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              onDirectory.accept(directory);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (onFile != null && attributes.isRegularFile()) {
                onFile.accept(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException unreadable) {
      // an unreadable workspace folder has no profiles
    }
  }

  // ---- queries ----------------------------------------------------------------------------------------

  List<Project> projects() {
    return projects;
  }

  /** The innermost profiled project whose application contains the file. */
  Optional<Project> projectOf(Path file) {
    return projects.stream().filter(project -> project.contains(file)).findFirst();
  }

  ParseCache parses() {
    return parses;
  }

  List<String> problems() {
    return problems;
  }

  Duration debounce() {
    return clientSettings.debounce();
  }

  long generation() {
    return generation;
  }

  /** True for a Python file of a profiled application (it gets workspace-wide diagnostics). */
  boolean isProfiled(Path file) {
    return projectOf(file).map(project -> project.sources().contains(file)).orElse(false);
  }

  boolean isProfileFile(Path file) {
    if (file.toString().replace('\\', '/').contains("/" + PROFILES_DIRECTORY + "/")) {
      return true;
    }
    return projects.stream().anyMatch(project -> project.isProfileFile(file));
  }

  boolean isSettingsFile(Path file) {
    return file.getFileName() != null && file.getFileName().toString().equals("pyproject.toml");
  }

  /** Every Python file of every profiled application. */
  List<Path> profiledFiles() {
    return projects.stream().flatMap(project -> project.sources().stream()).distinct().toList();
  }

  /** What the client should watch: profiles (default and configured), settings files, Python sources. */
  List<String> watchGlobs() {
    List<String> globs = new ArrayList<>(List.of("**/" + PROFILES_DIRECTORY + "/**", "**/pyproject.toml", "**/*.py"));
    for (Project project : projects) {
      for (Path location : project.profileLocations()) {
        String glob = location.toString().replace('\\', '/') + (Files.isDirectory(location) ? "/**" : "");
        if (!glob.contains("/" + PROFILES_DIRECTORY + "/") && !glob.endsWith("/" + PROFILES_DIRECTORY + "/**")) {
          globs.add(glob);
        }
      }
    }
    return globs;
  }

  List<Path> roots() {
    return roots;
  }
}
