package dev.coldspy.engine;

import dev.coldspy.profile.Trigger;
import java.util.Objects;

/**
 * A line in a library's own code, as the profile recorded it: the statement inside the library that imports
 * a part of it (what one would patch to defer that import).
 *
 * @param file the recorded path, absolute on the profiling machine
 * @param oneBasedLine 1-based line
 * @param displayPath how messages name the file ({@link CodePaths#display})
 */
public record LibraryLine(String file, int oneBasedLine, String displayPath) {
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
    return new LibraryLine(trigger.file(), trigger.line(), CodePaths.display(trigger.file(), appRoot));
  }

  /** {@code igraph/__init__.py:12} */
  public String location() {
    return displayPath + ":" + oneBasedLine;
  }
}
