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

/**
 * Maps paths recorded on the profiling machine ({@code /var/task/handler.py}, a site-packages file) onto
 * Python files of the workspace.
 *
 * <ol>
 *   <li>When the recorded path lies under the profile's {@code app.root}, that prefix is stripped and the rest
 *       ({@code handler.py}, {@code pkg/mod.py}) must match the end of a workspace file; if an app directory
 *       is given, the file at that relative path under it wins.
 *   <li>Otherwise the workspace file sharing the longest run of trailing path components with the recorded
 *       path wins ({@code .../dist-packages/numpy/core/fromnumeric.py} matches a vendored
 *       {@code vendor/numpy/core/fromnumeric.py}); the file name must match, and for {@code __init__.py} its
 *       directory too.
 *   <li>Among equally good matches, the one with the fewest path components wins; a remaining tie is
 *       ambiguous and maps to nothing rather than to a guess.
 * </ol>
 * Immutable and thread-safe (results are cached).
 */
public final class PathMapper {
  private static final String PACKAGE_INIT = "__init__.py";

  private final Path workspaceRoot;
  private final String recordedAppRoot;
  private final Path appDirectory;
  private final Map<String, List<Path>> filesByName = new HashMap<>();
  private final Map<String, Optional<Path>> cache = new ConcurrentHashMap<>();

  /**
   * @param workspaceRoot the workspace directory; relative {@code pythonFiles} are resolved against it
   * @param pythonFiles the workspace's Python files
   * @param recordedAppRoot the profile's {@code app.root}, or null when unknown
   * @param appDirectory the workspace directory that corresponds to {@code app.root} (the handler's directory),
   *     or null when unknown
   */
  public PathMapper(Path workspaceRoot, Collection<Path> pythonFiles, String recordedAppRoot, Path appDirectory) {
    this.workspaceRoot = workspaceRoot.toAbsolutePath().normalize();
    this.recordedAppRoot = recordedAppRoot == null ? null : trimTrailingSlash(unixSeparators(recordedAppRoot));
    this.appDirectory = appDirectory == null ? null : this.workspaceRoot.resolve(appDirectory).normalize();
    for (Path file : pythonFiles) {
      Path absolute = this.workspaceRoot.resolve(file).normalize();
      filesByName.computeIfAbsent(absolute.getFileName().toString(), n -> new ArrayList<>()).add(absolute);
    }
  }

  /**
   * A mapper over every {@code .py} file under {@code workspaceRoot}, skipping hidden directories,
   * {@code __pycache__}, {@code node_modules} and virtual environments (directories with {@code pyvenv.cfg}).
   */
  public static PathMapper scan(Path workspaceRoot, String recordedAppRoot, Path appDirectory) throws IOException {
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
    return new PathMapper(workspaceRoot, files, recordedAppRoot, appDirectory);
  }

  /** The workspace file a recorded path stands for, if one matches unambiguously. */
  public Optional<Path> toWorkspace(String recordedPath) {
    return cache.computeIfAbsent(recordedPath, this::resolve);
  }

  private Optional<Path> resolve(String recordedPath) {
    String recorded = unixSeparators(recordedPath);
    String[] components = components(recorded);
    if (components.length == 0) {
      return Optional.empty();
    }
    List<Path> candidates = filesByName.getOrDefault(components[components.length - 1], List.of());
    int minimumSuffix = components[components.length - 1].equals(PACKAGE_INIT) ? 2 : 1;
    if (recordedAppRoot != null && recorded.startsWith(recordedAppRoot + "/")) {
      String relative = recorded.substring(recordedAppRoot.length() + 1);
      if (appDirectory != null) {
        Path underApp = appDirectory.resolve(relative).normalize();
        if (candidates.contains(underApp)) {
          return Optional.of(underApp);
        }
      }
      minimumSuffix = components(relative).length;
    }
    Path best = null;
    int bestSuffix = 0;
    boolean tie = false;
    for (Path candidate : candidates) {
      int suffix = commonSuffix(components, candidate);
      if (suffix < minimumSuffix) {
        continue;
      }
      if (best == null || suffix > bestSuffix
          || (suffix == bestSuffix && candidate.getNameCount() < best.getNameCount())) {
        best = candidate;
        bestSuffix = suffix;
        tie = false;
      } else if (suffix == bestSuffix && candidate.getNameCount() == best.getNameCount()) {
        tie = true;
      }
    }
    return best == null || tie ? Optional.empty() : Optional.of(best);
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
