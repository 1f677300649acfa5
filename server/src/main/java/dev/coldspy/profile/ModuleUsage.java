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
 * @param importPhaseCallSamples import-phase samples with a function of the module on the stack called directly
 *     by another file's code (not the import machinery): sampled use at init, on every Python; 0 when none or
 *     not recorded
 * @param executedUnknown the exact signal could not tell whether the module's code ran (code counters that
 *     had stopped and could not be re-armed), so {@code executed == false} says nothing
 */
public record ModuleUsage(int samples, boolean executed, boolean usedAtInit, List<String> initCallers,
    int importPhaseCallSamples, boolean executedUnknown) {
  public ModuleUsage {
    initCallers = List.copyOf(initCallers);
  }

  /** Usage whose exact signal, if any, could tell. */
  public ModuleUsage(int samples, boolean executed, boolean usedAtInit, List<String> initCallers,
      int importPhaseCallSamples) {
    this(samples, executed, usedAtInit, initCallers, importPhaseCallSamples, false);
  }

  /** Usage with the exact signal's record of use at init and no sampled one. */
  public ModuleUsage(int samples, boolean executed, boolean usedAtInit, List<String> initCallers) {
    this(samples, executed, usedAtInit, initCallers, 0);
  }

  /** Usage in handler calls only (profiles that do not record use at init). */
  public ModuleUsage(int samples, boolean executed) {
    this(samples, executed, false, List.of());
  }
}
