package dev.coldspy.profile;

import java.util.Objects;

/**
 * One module imported in one cold start.
 *
 * @param name fully qualified module name
 * @param parent the module whose import caused this one, or null for a top-level import
 * @param file recorded origin path, or null for built-in/frozen/namespace modules
 * @param selfUs import time excluding nested imports
 * @param cumulativeUs import time including nested imports
 * @param phase imported at init or during a handler call
 * @param trigger the statement that executed the import, or null when unknown
 * @param rssDeltaBytes resident memory growth across the import, or null when not measured
 * @param statement for an init-phase import triggered inside a call rather than by a module body, the
 *     module-level statement that was running (e.g. the app's {@code model = joblib.load(...)}), or null
 */
public record ModuleImport(
    String name,
    String parent,
    String file,
    long selfUs,
    long cumulativeUs,
    Phase phase,
    Trigger trigger,
    Long rssDeltaBytes,
    ModuleLevelStatement statement) {
  public ModuleImport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
  }

  /** A module whose import no call below a module-level statement triggered (or the profile does not say). */
  public ModuleImport(String name, String parent, String file, long selfUs, long cumulativeUs, Phase phase,
      Trigger trigger, Long rssDeltaBytes) {
    this(name, parent, file, selfUs, cumulativeUs, phase, trigger, rssDeltaBytes, null);
  }
}
