package dev.coldspy.python;

/**
 * A handler as the profiler is told it and records it: a file and a function ({@code path/to/handler.py:main})
 * or a dotted module and a function ({@code pkg.mod.main}, the Lambda convention). A file spec is split at its
 * last ':' so that a Windows path ({@code C:\app\handler.py:main}) keeps its drive letter.
 *
 * @param file the handler's file as written, or null for a module spec
 * @param module the handler's dotted module, or null for a file spec
 * @param function the handler function, or null when the spec names none
 */
public record HandlerSpec(String file, String module, String function) {
  /** Reads a handler spec; never fails (a spec it cannot split is a module without a function). */
  public static HandlerSpec parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon >= 0 && isDottedName(spec.substring(colon + 1))) {
      return new HandlerSpec(spec.substring(0, colon), null, spec.substring(colon + 1));
    }
    if (spec.endsWith(".py") || spec.contains("/") || spec.contains("\\")) {
      return new HandlerSpec(spec, null, null);
    }
    int lastDot = spec.lastIndexOf('.');
    return lastDot > 0
        ? new HandlerSpec(null, spec.substring(0, lastDot), spec.substring(lastDot + 1))
        : new HandlerSpec(null, spec, null);
  }

  /**
   * The handler's file below the application root (the directory Python puts first on {@code sys.path}):
   * for a file spec the file's name, as the application root is the handler's directory wherever the
   * profiler ran; for a module spec the module's path ({@code pkg.mod} → {@code pkg/mod.py}).
   */
  public String fileBelowAppRoot() {
    if (file != null) {
      String slashes = file.replace('\\', '/');
      return slashes.substring(slashes.lastIndexOf('/') + 1);
    }
    return module.replace('.', '/') + ".py";
  }

  /**
   * Whether an application file is the handler's: for a file spec, the written path and the file's path below
   * the application root ({@code relativePath}, '/'-separated) agree on their trailing components; for a
   * module spec, the file defines the module.
   */
  public boolean isHandlerFile(String relativePath, String moduleName) {
    if (file == null) {
      return module.equals(moduleName);
    }
    String written = file.replace('\\', '/');
    return written.equals(relativePath) || written.endsWith("/" + relativePath)
        || relativePath.endsWith("/" + written);
  }

  private static boolean isDottedName(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (String part : text.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
          || !part.chars().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }
}
