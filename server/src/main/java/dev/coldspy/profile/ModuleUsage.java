package dev.coldspy.profile;

import java.util.List;

/**
 * Usage of one module in one cold start.
 *
 * @param samples execution-phase samples whose stack contains code of the module (once per sample)
 * @param executed whether the exact usage signal saw the module's code run (always false without one)
 * @param usedAtInit whether its code ran during init called from another file's code (not its own module body
 *     being imported); false when the profile does not record it
 * @param initCallers the modules whose code called it during init, sorted; empty when none or unknown
 */
public record ModuleUsage(int samples, boolean executed, boolean usedAtInit, List<String> initCallers) {
  public ModuleUsage {
    initCallers = List.copyOf(initCallers);
  }

  /** Usage in handler calls only (profiles that do not record use at init). */
  public ModuleUsage(int samples, boolean executed) {
    this(samples, executed, false, List.of());
  }
}
