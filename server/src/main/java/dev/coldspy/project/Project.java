package dev.coldspy.project;

import dev.coldspy.engine.Engine;
import dev.coldspy.engine.EngineSettings;
import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.ModuleLevelImports;
import dev.coldspy.engine.PythonVersion;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.python.HandlerSpec;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.settings.Settings;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One profiled application, as the command line and the language server both see it: the project directory,
 * the application root the profiles' recorded paths map onto, the settings, knowledge and merged profiles,
 * and its Python files. Immutable.
 */
public final class Project {
  /** Where {@code coldspy profile} writes profiles and both entrances look for them by default. */
  public static final String PROFILES_DIRECTORY = ".coldspy/profiles";

  private final Path directory;
  private final Path appRoot;
  private final Settings settings;
  private final Knowledge knowledge;
  private final List<Path> profileLocations;
  private final ProfileSet profiles;
  private final List<Path> sources;
  private final Path displayRoot;
  private final Engine engine;
  private final VendoredLibraries vendored;

  private Project(Path directory, Path appRoot, Settings settings, Knowledge knowledge, List<Path> profileLocations,
      ProfileSet profiles, List<Path> sources, Path displayRoot, VendoredLibraries vendored) {
    this.directory = directory;
    this.appRoot = appRoot;
    this.settings = settings;
    this.knowledge = knowledge;
    this.profileLocations = List.copyOf(profileLocations);
    this.profiles = profiles;
    this.sources = List.copyOf(sources);
    this.displayRoot = displayRoot;
    // The engine reads the libraries' sources the profiles point to (through the app's folder for vendored ones).
    this.engine = new Engine(knowledge, EngineSettings.of(settings), new ModuleLevelImports(this::located));
    this.vendored = vendored;
  }

  /**
   * A project whose Python files are those of {@code sourcePaths} (files or folders; each file once).
   *
   * @param directory the project directory, absolute: the application root is searched below it
   * @param sourcePaths what to analyse; empty: the application root
   * @param displayRoot how findings spell {@code directory} (the path as the user wrote it, perhaps relative),
   *     or null to name files by their path below the application root
   * @param problems told about files left out (see {@link SourceDiscovery})
   */
  public static Project of(Path directory, Settings settings, Knowledge knowledge, List<Path> profileLocations,
      ProfileSet profiles, List<Path> sourcePaths, Path displayRoot, Consumer<String> problems) {
    Path absolute = directory.toAbsolutePath().normalize();
    Path appRoot = appRoot(absolute, profiles);
    LinkedHashSet<Path> sources = new LinkedHashSet<>();
    for (Path given : sourcePaths.isEmpty() ? List.of(appRoot) : sourcePaths) {
      sources.addAll(SourceDiscovery.pythonFiles(given, problems));
    }
    return new Project(absolute, appRoot, settings, knowledge, profileLocations, profiles,
        new ArrayList<>(sources), displayRoot, vendored(appRoot, settings, profiles, problems));
  }

  /** The libraries shipped inside the application's folder: by their metadata, and as the settings name them. */
  private static VendoredLibraries vendored(Path appRoot, Settings settings, ProfileSet profiles,
      Consumer<String> problems) {
    List<String> configured = new ArrayList<>();
    for (Path path : settings.vendoredPaths()) {
      Path absolute = path.toAbsolutePath().normalize();
      if (absolute.startsWith(appRoot)) {
        configured.add(appRoot.relativize(absolute).toString().replace('\\', '/'));
      } else {
        problems.accept("vendored: " + path + " is outside the application's folder " + appRoot + "; left out");
      }
    }
    String handler = profiles.app().handler();
    return VendoredLibraries.find(appRoot, configured,
        handler == null ? null : HandlerSpec.parse(handler).fileBelowAppRoot(), problems);
  }

  /**
   * Where the handler module lives (Python's {@code sys.path[0]}): the project directory when the handler's
   * file is there, else the shallowest folder below it that holds that file, else the project directory.
   */
  static Path appRoot(Path directory, ProfileSet profiles) {
    return appRoot(directory, profiles.app().handler());
  }

  /** {@link #appRoot(Path, ProfileSet)} for a handler spec, or the project directory when it is null. */
  static Path appRoot(Path directory, String handler) {
    if (handler == null) {
      return directory;
    }
    String handlerFile = HandlerSpec.parse(handler).fileBelowAppRoot();
    if (Files.isRegularFile(directory.resolve(handlerFile))) {
      return directory;
    }
    int depth = Path.of(handlerFile).getNameCount();
    return SourceDiscovery.filesEndingWith(directory, handlerFile).stream()
        .findFirst()
        .map(found -> {
          Path folder = found;
          for (int i = 0; i < depth; i++) {
            folder = folder.getParent();
          }
          return folder;
        })
        .orElse(directory);
  }

  /** The project directory (holds {@code .coldspy/} and usually {@code pyproject.toml}). */
  public Path directory() {
    return directory;
  }

  /** The directory of the handler module (the profile's {@code app.root} maps onto it). */
  public Path appRoot() {
    return appRoot;
  }

  /** The project's settings ({@code [tool.coldspy]} with the command line's or the editor's overrides). */
  public Settings settings() {
    return settings;
  }

  public Knowledge knowledge() {
    return knowledge;
  }

  /** The files and folders profiles were read from. */
  public List<Path> profileLocations() {
    return profileLocations;
  }

  /** The merged profiles. */
  public ProfileSet profiles() {
    return profiles;
  }

  /** The application's Python files, absolute. */
  public List<Path> sources() {
    return sources;
  }

  /** The library code shipped inside the application's folder (its files are analysed as libraries). */
  public VendoredLibraries vendored() {
    return vendored;
  }

  /** {@link #localFile}, or empty for a path this system cannot even spell. */
  private Optional<Path> located(String recordedPath) {
    try {
      return Optional.of(localFile(recordedPath));
    } catch (InvalidPathException recordedElsewhere) {
      return Optional.empty(); // a Windows path on Linux: its source is not here
    }
  }

  /**
   * Where a file the profiles recorded is in the workspace: below the application root when it lay below the
   * recorded one ({@code /var/task/igraph/__init__.py}), else the recorded path itself.
   */
  public Path localFile(String recordedPath) {
    String recordedRoot = profiles.app().root();
    String path = recordedPath.replace('\\', '/');
    if (recordedRoot != null) {
      String root = recordedRoot.replace('\\', '/');
      root = root.endsWith("/") ? root : root + "/";
      if (path.startsWith(root)) {
        return appRoot.resolve(path.substring(root.length())).normalize();
      }
    }
    return Path.of(recordedPath);
  }

  /** The engine with the project's settings. */
  public Engine engine() {
    return engine;
  }

  /** The Python version the code must run on: the settings', else the profiled interpreter's. */
  public PythonVersion targetPython() {
    return engine.targetPython(profiles);
  }

  /** Whether a file lies in the application (an open file not yet on disk included). */
  public boolean contains(Path file) {
    return file.startsWith(appRoot) || sources.contains(file);
  }

  public boolean isProfileFile(Path file) {
    return profileLocations.stream().anyMatch(file::startsWith);
  }

  /**
   * A file's path as the engine matches it to recorded paths: below the application root, or for a file
   * outside it below the project directory; '/'-separated.
   */
  public String relativePath(Path file) {
    Path base = file.startsWith(appRoot) ? appRoot : directory;
    return base.relativize(file).toString().replace('\\', '/');
  }

  /** A file's path as findings show it. */
  public String displayPath(Path file) {
    if (displayRoot == null) {
      return relativePath(file);
    }
    return file.startsWith(directory) ? displayRoot.resolve(directory.relativize(file)).toString() : file.toString();
  }

  /** The module a file defines ({@link ModuleNaming}). */
  public ModuleIdentity moduleIdentity(Path file) {
    return ModuleNaming.identity(appRoot, file);
  }
}
