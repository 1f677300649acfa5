package dev.coldspy.engine;

import java.util.Set;

/**
 * How one module's code ran in one cold start, as far as the profile tells.
 *
 * @param inCalls its code ran during a handler call (an execution-phase sample, or the exact usage signal), or
 *     may have (the exact signal could not tell)
 * @param atInit its code ran during init called from another module's code (the profile's "used at init"),
 *     not merely its module body being imported
 * @param initCallers the modules whose code called it during init; empty when it did not run at init or the
 *     callers are unknown (code made by {@code exec}, a profile that names none): then any caller counts
 */
public record ModuleRun(boolean inCalls, boolean atInit, Set<String> initCallers) {
  /** Its code never ran, or the profile cannot tell. */
  public static final ModuleRun NONE = new ModuleRun(false, false, Set.of());

  public ModuleRun {
    initCallers = Set.copyOf(initCallers);
  }

  /** Ran during a handler call only. */
  public static ModuleRun duringCalls() {
    return new ModuleRun(true, false, Set.of());
  }

  /** Ran during init, called from the given modules (none: from unknown code). */
  public static ModuleRun calledAtInitBy(String... callers) {
    return new ModuleRun(false, true, Set.of(callers));
  }
}
