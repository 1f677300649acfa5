package dev.coldspy.profile;

import java.util.Objects;

/**
 * The statement that executed an import: the innermost frame outside the import machinery.
 *
 * @param file the recorded absolute path (map it with {@link PathMapper})
 * @param line 1-based line
 */
public record Trigger(String file, int line) implements Comparable<Trigger> {
  public Trigger {
    Objects.requireNonNull(file, "file");
  }

  @Override
  public int compareTo(Trigger other) {
    int byFile = file.compareTo(other.file);
    return byFile != 0 ? byFile : Integer.compare(line, other.line);
  }
}
