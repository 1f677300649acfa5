package dev.coldspy.project;

import dev.coldspy.python.ModuleIdentity;
import java.nio.file.Path;

/**
 * The module a project file defines, one rule for the command line and the language server. Below the
 * application root (the handler's directory, which Python puts first on {@code sys.path}) the name is the
 * path: {@code pkg/mod.py} is {@code pkg.mod} whether or not {@code pkg} has an {@code __init__.py} (a
 * namespace package imports the same way), {@code pkg/__init__.py} is {@code pkg}. A file outside it is
 * named by the packages ({@code __init__.py}) above it, as the nearest importable name.
 */
public final class ModuleNaming {
  private ModuleNaming() {}

  public static ModuleIdentity identity(Path appRoot, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!absolute.startsWith(appRoot) || absolute.equals(appRoot)) {
      return ModuleIdentity.forFile(absolute);
    }
    String path = appRoot.relativize(absolute).toString().replace('\\', '/');
    path = path.endsWith(".py") ? path.substring(0, path.length() - 3) : path;
    boolean init = path.equals("__init__") || path.endsWith("/__init__");
    if (init) {
      path = path.equals("__init__") ? "" : path.substring(0, path.length() - "/__init__".length());
    }
    return new ModuleIdentity(path.isEmpty() ? null : path.replace('/', '.'), init);
  }
}
