package dev.coldspy.engine;

import java.util.List;

/**
 * The thresholds the engine decides with. Immutable; build from the user's settings.
 *
 * @param minMs statements whose cost (median per cold start) is below this are not reported
 * @param warningMs findings whose estimated saving reaches this are warnings, the others information
 * @param rarelyUsedFraction a statement used in fewer than this fraction of cold starts is "rarely used"
 * @param denseSamplesPerColdStart without an exact usage signal, "never used" needs at least this many
 *     execution-phase samples per cold start on average; sparser profiles only say "not seen in use"
 * @param lightUseRatio a "light-use" library-choice entry holds when the time measured running the
 *     library's code per cold start is below this fraction of its import cost
 * @param transitiveShare a knowledge-file library that a statement pulls in indirectly (chameleon loading
 *     pkg_resources) classifies the statement only when it is at least this fraction of the statement's cost
 * @param ignoredModules modules (and their submodules) never reported
 * @param targetPython the Python version the code must run on (decides which rewrites and PEP 810 apply)
 */
public record EngineSettings(
    double minMs,
    double warningMs,
    double rarelyUsedFraction,
    int denseSamplesPerColdStart,
    double lightUseRatio,
    double transitiveShare,
    List<String> ignoredModules,
    PythonVersion targetPython) {

  public static final EngineSettings DEFAULTS =
      new EngineSettings(10, 100, 0.5, 50, 0.1, 0.25, List.of(), new PythonVersion(3, 12));

  public EngineSettings {
    ignoredModules = List.copyOf(ignoredModules);
  }

  /** True when the user asked never to hear about {@code module}. */
  public boolean ignores(String module) {
    for (String ignored : ignoredModules) {
      if (module.equals(ignored) || module.startsWith(ignored + ".")) {
        return true;
      }
    }
    return false;
  }

  public EngineSettings withMinMs(double value) {
    return new EngineSettings(value, warningMs, rarelyUsedFraction, denseSamplesPerColdStart,
        lightUseRatio, transitiveShare, ignoredModules, targetPython);
  }

  public EngineSettings withTargetPython(PythonVersion value) {
    return new EngineSettings(minMs, warningMs, rarelyUsedFraction, denseSamplesPerColdStart,
        lightUseRatio, transitiveShare, ignoredModules, value);
  }
}
