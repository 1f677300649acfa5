package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import dev.coldspy.settings.Settings;
import java.util.Optional;

/**
 * What the engine decides with: the user's {@link Settings} ({@code [tool.coldspy]}, command line, LSP
 * client) and the engine's own evidence thresholds. Immutable.
 *
 * @param user the user's settings: min-ms (smallest saving reported), warning/error thresholds, ignored
 *     modules and rules, rarely-used fraction, target Python
 * @param denseSamplesPerColdStart without an exact usage signal, "never used" needs at least this many
 *     execution-phase samples per cold start on average; sparser profiles only say "not seen in use"
 * @param lightUseRatio a "light-use" library-choice entry holds when the time measured running the
 *     library's code per cold start is below this fraction of its import cost
 * @param transitiveShare a knowledge-file library that a statement pulls in indirectly (chameleon loading
 *     pkg_resources) classifies the statement only when it is at least this fraction of the statement's cost
 * @param borderlineFactor how far on the other side of a ratio cut-off ({@code lightUseRatio},
 *     {@code transitiveShare}) a value still gives the finding, marked borderline: the ratios compare import
 *     time with run time or with other import time, which machine load and bytecode shift unevenly, so a value
 *     near a cut-off is reported as borderline rather than appearing and vanishing from run to run
 */
public record EngineSettings(
    Settings user, int denseSamplesPerColdStart, double lightUseRatio, double transitiveShare,
    double borderlineFactor) {

  /** The engine's evidence thresholds over the given user settings. */
  public static EngineSettings of(Settings user) {
    return new EngineSettings(user, 50, 0.1, 0.25, 2.5);
  }

  /** Everything at its default. */
  public static final EngineSettings DEFAULTS = of(Settings.DEFAULTS);

  /** Smallest estimated saving per cold start, in ms, that is reported (also the least cost considered). */
  public double minMs() {
    return user.minMs();
  }

  public double rarelyUsedFraction() {
    return user.rarelyUsedFraction();
  }

  /** True when the user asked never to hear about {@code module}. */
  public boolean ignores(String module) {
    return user.isIgnoredModule(module);
  }

  public boolean ignores(RuleCode rule) {
    return user.isIgnoredRule(rule);
  }

  public Severity severityFor(double savingMs) {
    return user.severityFor(savingMs);
  }

  /** The configured target Python, if any (else the engine takes the profiled interpreter's). */
  public Optional<PythonVersion> targetPython() {
    return Optional.ofNullable(user.targetPython()).map(PythonVersion::parse);
  }
}
