package dev.coldspy.profile;

import java.util.List;
import java.util.Objects;

/**
 * One profile: one profiler run of one app, read from a JSON profile, an original ColdSpy pickle or an
 * {@code -X importtime} log. Immutable; read it with {@link ProfileReader#read(java.nio.file.Path)} and
 * combine several with {@link ProfileSet}.
 *
 * <p>What a profile can tell depends on its source: {@link #hasSamples()} is false for importtime logs (no
 * usage evidence at all), {@link #hasExactUsage()} only for JSON profiles recorded with an exact usage signal.
 */
public final class Profile {
  private final ProfileSource source;
  private final App app;
  private final Environment environment;
  private final ProfilerSettings settings;
  private final String startedAt;
  private final List<String> files;
  private final List<ColdStart> coldStarts;
  private final CallTree callTree;
  private final List<AgentError> errors;
  private final List<String> readerWarnings;

  /**
   * @param source where the profile was read from
   * @param app the profiled app
   * @param environment interpreter and machine
   * @param settings agent configuration
   * @param startedAt ISO-8601 start time, or null (informational only)
   * @param files the recorded path table (paths also appear resolved in modules, triggers and frames)
   * @param coldStarts cold starts in order
   * @param callTree samples of all cold starts
   * @param errors problems the agent survived
   * @param readerWarnings problems the reader survived (e.g. junk lines skipped in an importtime log), each one
   *     line without the file name
   */
  public Profile(ProfileSource source, App app, Environment environment, ProfilerSettings settings,
      String startedAt, List<String> files, List<ColdStart> coldStarts, CallTree callTree,
      List<AgentError> errors, List<String> readerWarnings) {
    this.source = Objects.requireNonNull(source, "source");
    this.app = Objects.requireNonNull(app, "app");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.startedAt = startedAt;
    this.files = List.copyOf(files);
    this.coldStarts = List.copyOf(coldStarts);
    this.callTree = Objects.requireNonNull(callTree, "callTree");
    this.errors = List.copyOf(errors);
    this.readerWarnings = List.copyOf(readerWarnings);
  }

  /** Where this profile was read from. */
  public ProfileSource source() {
    return source;
  }

  /** The profiled app. */
  public App app() {
    return app;
  }

  /** The interpreter and machine of the run. */
  public Environment environment() {
    return environment;
  }

  /** How the agent was configured. */
  public ProfilerSettings settings() {
    return settings;
  }

  /** ISO-8601 UTC start of the run, or null; informational, never used for decisions. */
  public String startedAt() {
    return startedAt;
  }

  /** The recorded path table. */
  public List<String> files() {
    return files;
  }

  /** The cold starts in order. */
  public List<ColdStart> coldStarts() {
    return coldStarts;
  }

  /** The calling-context tree of all samples (the root alone when there are none). */
  public CallTree callTree() {
    return callTree;
  }

  /** Problems the agent met but survived. */
  public List<AgentError> errors() {
    return errors;
  }

  /** Problems the reader met but survived, one line each (without the file name). */
  public List<String> readerWarnings() {
    return readerWarnings;
  }

  /** True when the profile holds sampled stacks (false for importtime logs and runs without a sampler). */
  public boolean hasSamples() {
    if (callTree.totalImportSamples() + callTree.totalExecutionSamples() > 0) {
      return true;
    }
    for (ColdStart coldStart : coldStarts) {
      if (coldStart.importSamples() + coldStart.executionSamples() > 0) {
        return true;
      }
    }
    return false;
  }

  /** True when usage comes from an exact signal (every module whose code ran is known). */
  public boolean hasExactUsage() {
    return settings.usageSignal().isExact();
  }

  /** True when each invocation records the modules whose code ran (an exact signal that sees invocations). */
  public boolean hasUsagePerInvocation() {
    return settings.usageSignal().observesEachInvocation();
  }

  /** True when the profile lists each cold start's invocations (ours; pickles and importtime logs do not). */
  public boolean listsInvocations() {
    return source.kind() == SourceKind.JSON;
  }

  /**
   * False for a cold start of ours that served no invocation: its environment was initialized ahead of requests
   * that never came (provisioned concurrency, a worker of Lambda Managed Instances), or it ended during init. Its
   * init is evidence of import costs; of usage it says nothing.
   */
  public boolean servedAnInvocation(ColdStart coldStart) {
    return !listsInvocations() || !coldStart.invocations().isEmpty() || coldStart.executionSamples() > 0;
  }

  /** True when the profile says anything about execution-phase usage (samples or an exact signal). */
  public boolean usageKnown() {
    return hasSamples() || hasExactUsage();
  }

  @Override
  public String toString() {
    return "Profile[" + source.path() + ", " + source.kind() + ", app " + app.name() + ", "
        + coldStarts.size() + " cold starts]";
  }
}
