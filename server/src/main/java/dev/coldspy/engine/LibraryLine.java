package dev.coldspy.engine;

import dev.coldspy.profile.Trigger;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line in a library's own code, as the profile recorded it: the statement inside the library that imports
 * a part of it (what one would patch to defer that import).
 *
 * @param file the recorded path, absolute on the profiling machine
 * @param line 1-based line
 * @param displayPath how messages name the file: the path below {@code site-packages}/{@code dist-packages},
 *     else below the app's root (a library vendored next to the handler), else the recorded path
 */
public record LibraryLine(String file, int line, String displayPath) {
  private static final Pattern INSTALLED = Pattern.compile(".*/(?:site|dist)-packages/");

  public LibraryLine {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(displayPath, "displayPath");
  }

  /**
   * The library line of a recorded trigger.
   *
   * @param appRoot the profile's {@code app.root} (recorded, absolute), or null when unknown
   */
  public static LibraryLine of(Trigger trigger, String appRoot) {
    String path = trigger.file().replace('\\', '/');
    Matcher installed = INSTALLED.matcher(path);
    String display;
    if (installed.lookingAt()) {
      display = path.substring(installed.end());
    } else if (appRoot != null && path.startsWith(withSlash(appRoot.replace('\\', '/')))) {
      display = path.substring(withSlash(appRoot.replace('\\', '/')).length());
    } else {
      display = path;
    }
    return new LibraryLine(trigger.file(), trigger.line(), display);
  }

  private static String withSlash(String directory) {
    return directory.endsWith("/") ? directory : directory + "/";
  }

  /** {@code igraph/__init__.py:12} */
  public String location() {
    return displayPath + ":" + line;
  }
}
