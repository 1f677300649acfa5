package dev.coldspy.project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Library code shipped inside a function's own folder: what {@code pip install -t .} put next to the handler
 * (as a Lambda zip holds it), and the folders the user names in {@code [tool.coldspy] vendored = [...]}. Such
 * files are libraries, not the app's code: the engine reports their waste on the app's line that pulls them
 * in, never on their own import lines.
 *
 * <p>An installed distribution is recognised by its metadata folder next to its code: {@code
 * NAME-VERSION.dist-info} (its {@code RECORD} lists every installed file; a {@code top_level.txt}, when
 * present, the importable names) or {@code NAME.egg-info} ({@code top_level.txt}). The importable top-level
 * packages and modules they name that exist beside the metadata folder are vendored. The folders searched are
 * those {@link SourceDiscovery} walks for the project's files. Immutable.
 */
public final class VendoredLibraries {
  /**
   * One vendored library.
   *
   * @param name the distribution's name ({@code rich}), or the configured folder
   * @param version the distribution's version, or null (egg-info folders without one, configured folders)
   * @param source the metadata folder relative to the app's root ({@code rich-13.7.1.dist-info}), or {@code
   *     "vendored setting"}
   * @param paths what it holds, relative to the app's root, '/'-separated: packages end with '/'
   *     ({@code rich/}), modules do not ({@code six.py})
   */
  public record Library(String name, String version, String source, List<String> paths) {
    public Library {
      paths = List.copyOf(paths);
    }
  }

  /** No vendored code. */
  public static final VendoredLibraries NONE = new VendoredLibraries(List.of());

  private static final String CONFIGURED = "vendored setting";
  private final List<Library> libraries;

  private VendoredLibraries(List<Library> libraries) {
    this.libraries = List.copyOf(libraries);
  }

  /**
   * The vendored libraries of an app.
   *
   * @param appRoot the app's folder (the handler's)
   * @param configured folders or files the user declared vendored, relative to {@code appRoot}
   * @param handlerFile the handler's file relative to {@code appRoot} ('/'-separated), or null: a distribution
   *     that claims it is the app itself installed with its code (left out, and said so)
   * @param problems told of metadata that could not be read and of claims left out, one line each naming
   *     the file
   */
  public static VendoredLibraries find(Path appRoot, List<String> configured, String handlerFile,
      Consumer<String> problems) {
    Path root = appRoot.toAbsolutePath().normalize();
    List<Library> found = new ArrayList<>();
    for (Path metadata : metadataFolders(root, problems)) {
      library(root, metadata, problems).ifPresent(library -> {
        if (handlerFile != null && holds(library.paths(), handlerFile)) {
          problems.accept(root.relativize(metadata) + ": claims the handler's own " + handlerFile
              + ": treated as the app's code, not a vendored library");
        } else if (!library.paths().isEmpty()) {
          found.add(library);
        }
      });
    }
    for (String folder : configured) {
      String relative = unix(folder).replaceAll("^\\./", "").replaceAll("/+$", "");
      Path path = root.resolve(relative).normalize();
      if (!path.startsWith(root) || !Files.exists(path)) {
        problems.accept("vendored: " + folder + ": no such folder or file in " + root);
        continue;
      }
      found.add(new Library(relative, null, CONFIGURED, List.of(Files.isDirectory(path) ? relative + "/" : relative)));
    }
    return new VendoredLibraries(found);
  }

  /** The vendored libraries, metadata ones by folder first, then the configured ones in the given order. */
  public List<Library> libraries() {
    return libraries;
  }

  /** True when the file at {@code relativePath} (relative to the app's root, '/'-separated) is vendored. */
  public boolean contains(String relativePath) {
    String path = unix(relativePath);
    for (Library library : libraries) {
      if (holds(library.paths(), path)) {
        return true;
      }
    }
    return false;
  }

  /** The vendored library holding a file, if any. */
  public Optional<Library> libraryOf(String relativePath) {
    String path = unix(relativePath);
    return libraries.stream().filter(library -> holds(library.paths(), path)).findFirst();
  }

  private static boolean holds(List<String> paths, String file) {
    for (String held : paths) {
      if (held.endsWith("/") ? file.startsWith(held) : file.equals(held)) {
        return true;
      }
    }
    return false;
  }

  private static List<Path> metadataFolders(Path root, Consumer<String> problems) {
    List<Path> found = SourceDiscovery.foldersNamed(root, VendoredLibraries::isMetadata, problems);
    found.sort(null);
    return found;
  }

  private static boolean isMetadata(String folder) {
    return folder.endsWith(".dist-info") || folder.endsWith(".egg-info");
  }

  /** The library a metadata folder describes: the top-level names it installed that exist beside it. */
  private static Optional<Library> library(Path root, Path metadata, Consumer<String> problems) {
    String folder = metadata.getFileName().toString();
    String stem = folder.substring(0, folder.lastIndexOf('.'));
    int dash = stem.indexOf('-');
    String name = dash < 0 ? stem : stem.substring(0, dash);
    String version = dash < 0 ? null : stem.substring(dash + 1);
    SortedSet<String> topLevel = new TreeSet<>();
    try {
      Path record = metadata.resolve("RECORD");
      if (Files.isRegularFile(record)) {
        for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
          recordTopLevel(firstCsvField(line)).ifPresent(topLevel::add);
        }
      }
      Path names = metadata.resolve("top_level.txt");
      if (Files.isRegularFile(names)) {
        for (String line : Files.readAllLines(names, StandardCharsets.UTF_8)) {
          String top = unix(line.strip());
          if (!top.isEmpty() && !top.contains("..")) {
            topLevel.add(top);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      problems.accept(root.relativize(metadata) + ": could not read its metadata (" + e.getMessage()
          + "); its library is treated as the app's code");
      return Optional.empty();
    }
    Path site = metadata.getParent();
    String prefix = root.equals(site) ? "" : unix(root.relativize(site).toString()) + "/";
    List<String> paths = new ArrayList<>();
    for (String top : topLevel) {
      if (Files.isDirectory(site.resolve(top))) {
        paths.add(prefix + top + "/");
      } else if (Files.isRegularFile(site.resolve(top + ".py"))) {
        paths.add(prefix + top + ".py");
      }
    }
    return Optional.of(new Library(name, version, unix(root.relativize(metadata).toString()), paths));
  }

  /** The importable top-level name of one RECORD path ({@code rich/console.py} → rich), if it is one. */
  private static Optional<String> recordTopLevel(String path) {
    String unix = unix(path);
    if (unix.isEmpty() || unix.startsWith("..") || unix.startsWith("/")) {
      return Optional.empty(); // scripts and data installed outside the library folder
    }
    int slash = unix.indexOf('/');
    if (slash < 0) {
      return unix.endsWith(".py") ? Optional.of(unix.substring(0, unix.length() - 3)) : Optional.empty();
    }
    String top = unix.substring(0, slash);
    boolean code = unix.endsWith(".py");
    return code && !isMetadata(top) && !top.equals("__pycache__") ? Optional.of(top) : Optional.empty();
  }

  /** RECORD is CSV: a path holding a comma is quoted, with doubled quotes inside. */
  private static String firstCsvField(String line) {
    if (!line.startsWith("\"")) {
      int comma = line.indexOf(',');
      return comma < 0 ? line : line.substring(0, comma);
    }
    StringBuilder field = new StringBuilder();
    for (int i = 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else {
          break;
        }
      } else {
        field.append(c);
      }
    }
    return field.toString();
  }

  private static String unix(String path) {
    return path.replace('\\', '/');
  }
}
