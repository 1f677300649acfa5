package dev.coldspy.project;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which files and folders belong to a project, for the command line and the language server alike: one walk
 * that skips hidden folders, caches, installed packages, build output and virtual environments (any folder
 * holding {@code pyvenv.cfg}, whatever its name), down to {@link #MAX_DEPTH} folders and at most
 * {@link #MAX_FILES} Python files (a checkout of something else, not a function, beyond that).
 */
public final class SourceDiscovery {
  /** Folders below a walked root deeper than this are not visited. */
  public static final int MAX_DEPTH = 12;
  /** Python files listed per root at most; the walk reports when it stopped there. */
  public static final int MAX_FILES = 5_000;
  private static final Set<String> SKIPPED_FOLDERS = Set.of(
      "__pycache__", "node_modules", "site-packages", "dist-packages", "venv", "env", "build", "dist", "target");

  private SourceDiscovery() {}

  /**
   * The Python files under {@code root} (or {@code root} itself when it is a file), absolute, normalized and
   * sorted.
   *
   * @param problems told what was left out: a folder that could not be listed, the file limit reached
   */
  public static List<Path> pythonFiles(Path root, Consumer<String> problems) {
    Path start = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(start)) {
      return List.of(start);
    }
    List<Path> files = new ArrayList<>();
    boolean[] overLimit = {false};
    walk(start, directory -> { }, file -> {
      if (!file.getFileName().toString().endsWith(".py")) {
        return;
      }
      if (files.size() < MAX_FILES) {
        files.add(file);
      } else if (!overLimit[0]) {
        overLimit[0] = true;
        problems.accept(start + ": more than " + MAX_FILES + " Python files; only the first are analysed");
      }
    }, problems);
    files.sort(null);
    return files;
  }

  /** The folders under {@code root} (itself included) that hold {@code relative} as a folder. */
  public static List<Path> foldersHolding(Path root, String relative) {
    List<Path> found = new ArrayList<>();
    walk(root.toAbsolutePath().normalize(), directory -> {
      if (Files.isDirectory(directory.resolve(relative))) {
        found.add(directory);
      }
    }, file -> { }, problem -> { });
    return found;
  }

  /**
   * The folders below {@code root} whose name {@code name} accepts ({@code *.dist-info}), not descending into
   * them.
   */
  public static List<Path> foldersNamed(Path root, Predicate<String> name, Consumer<String> problems) {
    List<Path> found = new ArrayList<>();
    walk(root.toAbsolutePath().normalize(), folder -> {
      if (folder.getFileName() != null && name.test(folder.getFileName().toString())) {
        found.add(folder);
      }
    }, file -> { }, problems);
    return found;
  }

  /** The files under {@code root} (itself included) whose path ends with {@code relative}, shallowest first. */
  public static List<Path> filesEndingWith(Path root, String relative) {
    List<Path> found = new ArrayList<>();
    Path suffix = Path.of(relative);
    walk(root.toAbsolutePath().normalize(), directory -> { }, file -> {
      if (file.endsWith(suffix)) {
        found.add(file);
      }
    }, problem -> { });
    found.sort((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()));
    return found;
  }

  /**
   * Whether a folder below a walked root is left out: hidden ({@code .git}, {@code .venv}), a cache, installed
   * packages, build output, or a virtual environment.
   */
  static boolean isSkipped(Path folder) {
    String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
    return (name.startsWith(".") && name.length() > 1) || SKIPPED_FOLDERS.contains(name)
        || Files.exists(folder.resolve("pyvenv.cfg"));
  }

  private static void walk(Path root, Consumer<Path> onFolder, Consumer<Path> onFile, Consumer<String> problems) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
          if (!folder.equals(root) && isSkipped(folder)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          onFolder.accept(folder);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (attributes.isRegularFile()) {
            onFile.accept(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException failure) {
          problems.accept(file + ": cannot list: " + failure.getMessage());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException unreadable) {
      problems.accept(root + ": cannot list: " + unreadable.getMessage());
    }
  }
}
