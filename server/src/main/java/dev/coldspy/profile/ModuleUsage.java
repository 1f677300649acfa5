package dev.coldspy.profile;

/**
 * Execution-phase usage of one module in one cold start.
 *
 * @param samples execution-phase samples whose stack contains code of the module (once per sample)
 * @param executed whether the exact usage signal saw the module's code run (always false without one)
 */
public record ModuleUsage(int samples, boolean executed) {}
