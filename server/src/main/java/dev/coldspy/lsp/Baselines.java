package dev.coldspy.lsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What "ColdSpy: Verify Fixes" compares the current code with: the application as last committed in git
 * ({@code git archive HEAD} of its repository, extracted into a temporary folder), or, outside git, the copy
 * of the application taken when the first quick fix was resolved in the editor ({@code .coldspy/baseline/}).
 */
final class Baselines {
  /** Where the copy taken before the first fix goes, below the project's folder. */
  static final String COPY_DIRECTORY = ".coldspy/baseline";
  /** Folders never part of an application copy: tools' state, environments, caches. */
  private static final Set<String> NOT_COPIED = Set.of(".coldspy", ".git", ".hg", ".svn", ".venv", "venv", ".tox",
      "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".aws-sam", ".idea", ".vscode");
  private static final long GIT_TIMEOUT_S = 120;

  private Baselines() {}

  /**
   * A baseline of the application root.
   *
   * @param scratch an empty temporary folder for the git export (the caller deletes it)
   * @return the baseline's copy of {@code appRoot}
   * @throws IllegalArgumentException when there is none: not in git and no fix applied yet
   */
  static Baseline of(Path appRoot, Path projectDirectory, Path scratch) throws IOException, InterruptedException {
    Optional<Path> repository = gitTopLevel(appRoot);
    if (repository.isPresent()) {
      Path archive = scratch.resolve("head.tar");
      run(List.of("git", "-C", repository.get().toString(), "archive", "--format=tar", "-o", archive.toString(),
          "HEAD"), appRoot);
      Path tree = Files.createDirectories(scratch.resolve("head"));
      run(List.of("tar", "-xf", archive.toString(), "-C", tree.toString()), appRoot);
      Files.delete(archive);
      return new Baseline(tree.resolve(repository.get().relativize(appRoot.toRealPath()).toString()),
          "the last commit");
    }
    Path copy = projectDirectory.resolve(COPY_DIRECTORY);
    if (Files.isDirectory(copy)) {
      return new Baseline(copy, "the copy taken before the first fix");
    }
    throw new IllegalArgumentException("no baseline to compare with: " + appRoot.getFileName()
        + " is not in a git repository and no quick fix has been applied since profiling");
  }

  /** The baseline's application folder, and how the user is told what it is. */
  record Baseline(Path appRoot, String description) {}

  /**
   * Outside git, copies the application root into {@link #COPY_DIRECTORY} of its project, once: the code as
   * it was before the first fix. Does nothing in a git repository (the last commit is the baseline) or when
   * the copy exists.
   */
  static void keepBeforeFirstFix(Path appRoot, Path projectDirectory) throws IOException, InterruptedException {
    Path copy = projectDirectory.resolve(COPY_DIRECTORY);
    if (Files.exists(copy) || gitTopLevel(appRoot).isPresent()) {
      return;
    }
    Path partial = Files.createDirectories(copy.resolveSibling("baseline.partial"));
    Files.walkFileTree(appRoot, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
        if (!directory.equals(appRoot) && NOT_COPIED.contains(directory.getFileName().toString())) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(partial.resolve(appRoot.relativize(directory).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        if (attributes.isRegularFile()) {
          Files.copy(file, partial.resolve(appRoot.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
              StandardCopyOption.REPLACE_EXISTING);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The top folder of the git work tree holding {@code folder}, when git is installed and there is one. */
  static Optional<Path> gitTopLevel(Path folder) throws InterruptedException {
    try {
      Process git = new ProcessBuilder("git", "-C", folder.toString(), "rev-parse", "--show-toplevel")
          .redirectErrorStream(true).start();
      git.getOutputStream().close();
      String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return git.waitFor() == 0 && !output.isEmpty() ? Optional.of(Path.of(output).toRealPath()) : Optional.empty();
    } catch (IOException noGit) {
      return Optional.empty();
    }
  }

  private static void run(List<String> command, Path directory) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(GIT_TIMEOUT_S, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
      }
    } finally {
      process.destroyForcibly();
    }
  }

  /** Deletes a scratch folder and everything in it. */
  static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
