package dev.coldspy.fix;

import dev.coldspy.engine.Knowledge;
import dev.coldspy.engine.PythonVersion;
import java.util.Set;

/**
 * What the fix planner may assume about the project.
 *
 * @param targetPython the Python version the code deploys to (PEP 810 needs 3.15+; rewrites have minimums)
 * @param sideEffectModules modules imported for what importing them does (registering codecs, plugins,
 *     patching), which must not be removed or deferred; a module listed covers its submodules
 * @param knowledge the knowledge file: its {@code [[library.rewrite]]} entries drive
 *     {@link dev.coldspy.rules.FixKind#REPLACE}, its advice explains refusals
 */
public record FixOptions(PythonVersion targetPython, Set<String> sideEffectModules, Knowledge knowledge) {
  /** The first Python with PEP 810 explicit lazy imports. */
  public static final PythonVersion PEP_810 = new PythonVersion(3, 15);

  /**
   * Modules whose import is the point: stdlib modules that change the interpreter when imported and
   * well-known auto-instrumentation entry points.
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
  }

  /** Target Python 3.12 (a current Lambda runtime), the default side-effect list, the bundled knowledge. */
  public static FixOptions defaults() {
    return new FixOptions(new PythonVersion(3, 12), DEFAULT_SIDE_EFFECT_MODULES, Knowledge.bundled());
  }

  public FixOptions withTargetPython(PythonVersion version) {
    return new FixOptions(version, sideEffectModules, knowledge);
  }

  public FixOptions withKnowledge(Knowledge newKnowledge) {
    return new FixOptions(targetPython, sideEffectModules, newKnowledge);
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
