package dev.coldspy.profile;

/** How the agent detected that a module's code ran during the execution phase. */
public enum UsageSignal {
  /** PEP 669 monitoring (Python 3.12+): exact. */
  SYS_MONITORING("sys.monitoring"),
  /**
   * The run counters CPython 3.9-3.11 keep in each code object, read before the first invocation and when the
   * profile is written: exact for the cold start as a whole (all its invocations together), not per invocation.
   */
  CODE_COUNTERS("code-counters"),
  /** {@code sys.setprofile} call events: exact. */
  SETPROFILE("setprofile"),
  /** No exact signal: only samples (or nothing) tell about usage. */
  NONE("none");

  private final String jsonName;

  UsageSignal(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The value used in the profile format. */
  public String jsonName() {
    return jsonName;
  }

  /** True when the signal sees every module whose code ran, not a sample of them. */
  public boolean isExact() {
    return this != NONE;
  }

  /** True when each invocation records which modules' code ran ({@code modulesExecuted}). */
  public boolean observesEachInvocation() {
    return this == SYS_MONITORING || this == SETPROFILE;
  }

  /** The constant for a profile-format value, or null when unknown. */
  static UsageSignal fromJson(String value) {
    for (UsageSignal signal : values()) {
      if (signal.jsonName.equals(value)) {
        return signal;
      }
    }
    return null;
  }
}
