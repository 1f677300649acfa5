package dev.coldspy.fix;

import java.util.List;
import java.util.Set;

/**
 * What the fix planner may assume about the project.
 *
 * @param targetPython the Python version the code deploys to (PEP 810 needs 3.15+)
 * @param sideEffectModules modules imported for what importing them does (registering codecs, plugins,
 *     patching), which must not be removed or deferred; a module listed covers its submodules
 * @param rewrites mechanical rewrites for {@link dev.coldspy.rules.FixKind#REPLACE}
 */
public record FixOptions(PythonVersion targetPython, Set<String> sideEffectModules, List<RewriteRule> rewrites) {
  /**
   * Modules whose import is the point: stdlib modules that change the interpreter when imported and
   * well-known auto-instrumentation entry points. The knowledge file may add more.
   */
  public static final Set<String> DEFAULT_SIDE_EFFECT_MODULES =
      Set.of(
          "readline",
          "rlcompleter",
          "site",
          "sitecustomize",
          "usercustomize",
          "antigravity",
          "this",
          "encodings",
          "faulthandler",
          "tracemalloc",
          "ddtrace.auto",
          "opentelemetry.instrumentation.auto_instrumentation",
          "gevent.monkey");

  public FixOptions {
    sideEffectModules = Set.copyOf(sideEffectModules);
    rewrites = List.copyOf(rewrites);
  }

  /** Target Python 3.12 (a current Lambda runtime), the default side-effect list, no rewrites. */
  public static FixOptions defaults() {
    return new FixOptions(new PythonVersion(3, 12), DEFAULT_SIDE_EFFECT_MODULES, List.of());
  }

  public FixOptions withTargetPython(PythonVersion version) {
    return new FixOptions(version, sideEffectModules, rewrites);
  }

  public FixOptions withRewrites(List<RewriteRule> newRewrites) {
    return new FixOptions(targetPython, sideEffectModules, newRewrites);
  }

  /** Whether importing {@code module} (or a parent package listed) is known to have side effects. */
  public boolean hasSideEffects(String module) {
    for (String listed : sideEffectModules) {
      if (module.equals(listed) || module.startsWith(listed + ".")) {
        return true;
      }
    }
    return false;
  }
}
