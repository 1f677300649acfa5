package dev.coldspy.profile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a profile came from.
 *
 * @param path the file it was read from, as given to the reader
 * @param kind the format of that file
 */
public record ProfileSource(Path path, SourceKind kind) {
  public ProfileSource {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }
}
