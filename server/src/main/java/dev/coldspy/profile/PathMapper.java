package dev.coldspy.profile;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Maps paths recorded on the profiling machine ({@code /var/task/handler.py}, a site-packages file) onto
 * the application's Python files, so a workspace anywhere maps a profile recorded anywhere.
 *
 * <ol>
 *   <li>A path inside an installation ({@code site-packages}, {@code dist-packages}, the interpreter's
 *       standard library) or a pseudo path ({@code <frozen importlib._bootstrap>}) is never the
 *       application's, even when the application has a file of the same name (a vendored copy).
 *   <li>When the profile's {@code app.root} is known, a path outside it is a library's and maps to nothing.
 *       Below it, the prefix is stripped and the rest ({@code handler.py}, {@code pkg/mod.py}) must be the end
 *       of a file's path on whole components; the file at exactly that path under the app directory wins.
 *   <li>Without a root (pickles, importtime logs) the file sharing the longest run of trailing path
 *       components with the recorded path wins; the file name must match, for {@code __init__.py} its
 *       directory too, and for a file whose path within the app directory is known, that whole path
 *       ({@code /build/lib/util.py} is not the app's {@code handlers/lib/util.py}).
 *   <li>Among equally good matches, the one with the fewest path components wins; a remaining tie is
 *       ambiguous and maps to nothing rather than to a guess.
 * </ol>
 * Immutable and thread-safe (results are cached).
 *
 * @param <T> what a file is to the caller (a {@link Path}, the engine's source file)
 */
public final class PathMapper<T> {
  private static final String PACKAGE_INIT = "__init__.py";
  private static final Pattern THIRD_PARTY = Pattern.compile("/(site|dist)-packages/");
  private static final Pattern STANDARD_LIBRARY = Pattern.compile("/lib/python\\d+(\\.\\d+)?/|/Lib/");
  /** How CPython names the file of a module frozen into the interpreter: {@code <frozen os>}. */
  private static final String FROZEN = "<frozen ";

  private record Candidate<T>(Path location, T file) {}

  private final String recordedAppRoot;
  private final Path appDirectory;
  private final Map<String, List<Candidate<T>>> candidatesByName = new HashMap<>();
  private final Map<String, Optional<T>> cache = new ConcurrentHashMap<>();

  /**
   * @param recordedAppRoot the profile's {@code app.root}, or null when unknown
   * @param files the application's files
   * @param location where a file lies: relative to the app directory, or absolute
   * @param appDirectory the absolute directory that corresponds to {@code app.root} (the handler's directory),
   *     or null when unknown or when every location is relative to it
   */
  public PathMapper(String recordedAppRoot, Collection<T> files, Function<T, Path> location, Path appDirectory) {
    this.recordedAppRoot = recordedAppRoot == null ? null : trimTrailingSlash(unixSeparators(recordedAppRoot));
    this.appDirectory = appDirectory == null ? null : appDirectory.normalize();
    for (T file : files) {
      Path path = location.apply(file).normalize();
      candidatesByName.computeIfAbsent(path.getFileName().toString(), n -> new ArrayList<>())
          .add(new Candidate<>(path, file));
    }
  }

  /**
   * A mapper onto absolute workspace paths.
   *
   * @param workspaceRoot the workspace directory; relative {@code pythonFiles} and {@code appDirectory} are
   *     resolved against it
   */
  public static PathMapper<Path> of(
      Path workspaceRoot, Collection<Path> pythonFiles, String recordedAppRoot, Path appDirectory) {
    Path root = workspaceRoot.toAbsolutePath().normalize();
    List<Path> absolute = pythonFiles.stream().map(file -> root.resolve(file).normalize()).toList();
    return new PathMapper<>(recordedAppRoot, absolute, Function.identity(),
        appDirectory == null ? null : root.resolve(appDirectory));
  }

  /**
   * A mapper over every {@code .py} file under {@code workspaceRoot}, skipping hidden directories,
   * {@code __pycache__}, {@code node_modules} and virtual environments (directories with {@code pyvenv.cfg}).
   */
  public static PathMapper<Path> scan(Path workspaceRoot, String recordedAppRoot, Path appDirectory)
      throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(workspaceRoot, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        boolean skip = !dir.equals(workspaceRoot) && (name.startsWith(".") || name.equals("__pycache__")
            || name.equals("node_modules") || Files.exists(dir.resolve("pyvenv.cfg")));
        return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".py")) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // an unreadable corner of the workspace maps to nothing
      }
    });
    return of(workspaceRoot, files, recordedAppRoot, appDirectory);
  }

  /** The application file a recorded path stands for, if one matches unambiguously; null maps to nothing. */
  public Optional<T> toWorkspace(String recordedPath) {
    return recordedPath == null ? Optional.empty() : cache.computeIfAbsent(recordedPath, this::resolve);
  }

  /** Whether a recorded path lies in an installation: site- or dist-packages, or the standard library. */
  public static boolean isInstalled(String recordedPath) {
    String path = unixSeparators(recordedPath);
    return THIRD_PARTY.matcher(path).find() || isStandardLibrary(recordedPath);
  }

  /**
   * Whether a recorded path lies in the interpreter's standard library: lib/pythonX.Y outside site- or
   * dist-packages, or a module frozen into the interpreter ({@code <frozen _collections_abc>}, {@code <frozen
   * os>}: CPython 3.11+ freezes the ones every start needs, and their frames carry no file path).
   */
  public static boolean isStandardLibrary(String recordedPath) {
    if (recordedPath.startsWith(FROZEN)) {
      return true;
    }
    String path = unixSeparators(recordedPath);
    return STANDARD_LIBRARY.matcher(path).find() && !THIRD_PARTY.matcher(path).find();
  }

  private Optional<T> resolve(String recordedPath) {
    String recorded = unixSeparators(recordedPath);
    String[] components = components(recorded);
    if (components.length == 0 || recorded.startsWith("<") || isInstalled(recorded)) {
      return Optional.empty();
    }
    List<Candidate<T>> candidates = candidatesByName.getOrDefault(components[components.length - 1], List.of());
    int minimumSuffix = components[components.length - 1].equals(PACKAGE_INIT) ? 2 : 1;
    if (recordedAppRoot != null) {
      if (!recorded.startsWith(recordedAppRoot + "/")) {
        return Optional.empty();
      }
      String relative = recorded.substring(recordedAppRoot.length() + 1);
      Path atAppPath = Path.of(relative).normalize();
      for (Candidate<T> candidate : candidates) {
        if (appRelative(candidate.location()).equals(atAppPath)) {
          return Optional.of(candidate.file());
        }
      }
      minimumSuffix = components(relative).length;
    }
    Candidate<T> best = null;
    int bestSuffix = 0;
    boolean tie = false;
    for (Candidate<T> candidate : candidates) {
      Path location = candidate.location();
      int suffix = commonSuffix(components, location);
      int required = recordedAppRoot == null ? Math.max(minimumSuffix, appRelative(location).getNameCount())
          : minimumSuffix;
      if (suffix < required) {
        continue;
      }
      if (best == null || suffix > bestSuffix
          || (suffix == bestSuffix && location.getNameCount() < best.location().getNameCount())) {
        best = candidate;
        bestSuffix = suffix;
        tie = false;
      } else if (suffix == bestSuffix && location.getNameCount() == best.location().getNameCount()) {
        tie = true;
      }
    }
    return best == null || tie ? Optional.empty() : Optional.of(best.file());
  }

  /** A file's path within the app directory, or the empty path when that is unknown. */
  private Path appRelative(Path location) {
    if (!location.isAbsolute()) {
      return location;
    }
    return appDirectory != null && location.startsWith(appDirectory) ? appDirectory.relativize(location) : Path.of("");
  }

  private static int commonSuffix(String[] recorded, Path candidate) {
    int count = 0;
    int r = recorded.length - 1;
    for (int c = candidate.getNameCount() - 1; c >= 0 && r >= 0; c--, r--) {
      if (!candidate.getName(c).toString().equals(recorded[r])) {
        break;
      }
      count++;
    }
    return count;
  }

  private static String[] components(String path) {
    return Arrays.stream(path.split("/")).filter(c -> !c.isEmpty() && !c.equals(".")).toArray(String[]::new);
  }

  private static String unixSeparators(String path) {
    return path.replace('\\', '/');
  }

  private static String trimTrailingSlash(String path) {
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }
}
