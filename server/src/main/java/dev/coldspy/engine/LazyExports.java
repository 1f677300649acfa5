package dev.coldspy.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a package hands out lazily, and the submodule each loads: a package whose {@code __init__.py} has a
 * module-level {@code __getattr__} (PEP 562) imports a submodule only when code asks for one of its names.
 * {@code from pydantic import Field} loads {@code pydantic.fields} although no import statement spells it:
 * pydantic's table says {@code 'Field': (__spec__.parent, '.fields')}. Read from the table's lines, in the two
 * shapes such tables take, one entry per line:
 * <ul>
 *   <li>name to module: {@code 'Field': (__spec__.parent, '.fields'),} or {@code "Field": "pkg.fields",}</li>
 *   <li>module to names: {@code 'fields': ['Field', 'FieldInfo'],} (lazy_loader's {@code submod_attrs})</li>
 * </ul>
 * A module is relative ({@code .fields}), a submodule's name ({@code fields}) or absolute ({@code pkg.fields}).
 * Entries that point at no module of the package are of no use and are left to the caller to drop; a table
 * written otherwise (computed, spread over lines) is not read, and its names stay unknown.
 */
final class LazyExports {
  private static final Pattern MODULE_LEVEL_GETATTR =
      Pattern.compile("(?m)^(?:def\\s+__getattr__\\s*\\(|__getattr__\\s*[,=])");
  private static final Pattern NAME_TO_MODULE = Pattern.compile(
      "(?m)^\\s*['\"](\\w+)['\"]\\s*:\\s*(?:\\(\\s*[^'\"\\n]*?,\\s*)?['\"](\\.?[\\w.]+)['\"]");
  private static final Pattern MODULE_TO_NAMES = Pattern.compile(
      "(?m)^\\s*['\"](\\.?[\\w.]+)['\"]\\s*:\\s*[\\[(]([^\\])\\n]*)[\\])]");
  private static final Pattern QUOTED_NAME = Pattern.compile("['\"](\\w+)['\"]");

  private LazyExports() {}

  /** Whether the package source defines a module-level {@code __getattr__}. */
  static boolean hasModuleGetattr(String initSource) {
    return MODULE_LEVEL_GETATTR.matcher(initSource).find();
  }

  /**
   * Name to absolute module name, from the lazy table of {@code pkg}'s {@code __init__.py}; empty when the
   * package has no module-level {@code __getattr__}.
   */
  static Map<String, String> of(String pkg, String initSource) {
    if (!hasModuleGetattr(initSource)) {
      return Map.of();
    }
    Map<String, String> exports = new HashMap<>();
    Matcher entry = NAME_TO_MODULE.matcher(initSource);
    while (entry.find()) {
      exports.putIfAbsent(entry.group(1), absolute(pkg, entry.group(2)));
    }
    Matcher group = MODULE_TO_NAMES.matcher(initSource);
    while (group.find()) {
      String module = absolute(pkg, group.group(1));
      Matcher name = QUOTED_NAME.matcher(group.group(2));
      while (name.find()) {
        exports.putIfAbsent(name.group(1), module);
      }
    }
    return Map.copyOf(exports);
  }

  private static String absolute(String pkg, String module) {
    if (module.startsWith(".")) {
      return pkg + module;
    }
    String root = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
    return module.equals(root) || module.startsWith(root + ".") ? module : pkg + "." + module;
  }
}
