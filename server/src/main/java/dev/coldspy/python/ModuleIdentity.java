package dev.coldspy.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which module a source file is: its dotted name (unknown for a loose script) and whether it is a package's
 * {@code __init__.py}. Relative imports are resolved against {@link #packageName()}.
 */
public record ModuleIdentity(String moduleName, boolean packageInit) {
  /** A file whose module name is unknown: relative imports stay unresolved. */
  public static final ModuleIdentity UNKNOWN = new ModuleIdentity(null, false);

  /**
   * The identity of a file on disk: the module name is built from the directories above it that are
   * packages (hold an {@code __init__.py}), the way {@code sys.path[0] = dirname(handler)} would import it.
   */
  public static ModuleIdentity forFile(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    String fileName = absolute.getFileName() == null ? "" : absolute.getFileName().toString();
    boolean init = fileName.equals("__init__.py");
    Deque<String> parts = new ArrayDeque<>();
    if (!init) {
      parts.push(fileName.endsWith(".py") ? fileName.substring(0, fileName.length() - 3) : fileName);
    }
    Path dir = absolute.getParent();
    boolean first = true;
    while (dir != null && dir.getFileName() != null && Files.isRegularFile(dir.resolve("__init__.py"))) {
      parts.push(dir.getFileName().toString());
      dir = dir.getParent();
      first = false;
    }
    if (init && first) { // an __init__.py whose directory we could not name
      return new ModuleIdentity(null, true);
    }
    return new ModuleIdentity(String.join(".", parts), init);
  }

  /** The package relative imports start from: the module itself for {@code __init__.py}, else its parent. */
  public String packageName() {
    if (moduleName == null) {
      return null;
    }
    if (packageInit) {
      return moduleName;
    }
    int dot = moduleName.lastIndexOf('.');
    return dot < 0 ? "" : moduleName.substring(0, dot);
  }
}
