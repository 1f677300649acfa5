package dev.coldspy.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Any number of profiles of the same app merged into one view: per-module distributions over all cold
 * starts, usage across cold starts, and one call tree with inclusive counts. This is what the engine, the
 * language server and the report read.
 *
 * <p>Deterministic: profiles are ordered by source path, maps are sorted by key, and the merged call tree
 * creates nodes in that order, so the same files give the same view whatever order they were given in.
 * Immutable and safe to share between threads.
 */
public final class ProfileSet {
  private final App app;
  private final List<Profile> profiles;
  private final int coldStartCount;
  private final int invocationCount;
  private final boolean hasSamples;
  private final boolean hasExactUsage;
  private final int coldStartsWithEvidence;
  private final int idleColdStarts;
  private final int coldStartsWithExactUsage;
  /** Invocations recorded by an exact signal that tells per invocation (not the code counters). */
  private final int invocationsWithExactUsage;
  private final Distribution initUs;
  private final SortedMap<String, ModuleStats> modules;
  private final SortedMap<String, UsageStats> usage;
  /** Whether some module's non-use in some cold start rests on samples although that cold start had an exact signal. */
  private final boolean hasUnseen;
  private final CallTree callTree;

  private ProfileSet(List<Profile> profiles) {
    this.profiles = profiles;
    this.app = mergedApp(profiles);
    int coldStarts = 0;
    int invocations = 0;
    int withEvidence = 0;
    boolean samples = false;
    boolean exact = false;
    int withExact = 0;
    int exactInvocations = 0;
    int idle = 0;
    for (Profile profile : profiles) {
      coldStarts += profile.coldStarts().size();
      samples |= profile.hasSamples();
      exact |= profile.hasExactUsage();
      for (ColdStart coldStart : profile.coldStarts()) {
        if (!profile.servedAnInvocation(coldStart)) {
          idle++; // no evidence of usage: counted in no denominator of it
        } else {
          withExact += profile.hasExactUsage() ? 1 : 0;
          withEvidence += profile.usageKnown() ? 1 : 0;
        }
        invocations += coldStart.invocations().size();
        if (profile.hasUsagePerInvocation()) {
          exactInvocations += (int) coldStart.invocations().stream().filter(Invocation::usageObserved).count();
        }
      }
    }
    this.coldStartCount = coldStarts;
    this.idleColdStarts = idle;
    this.invocationCount = invocations;
    this.hasSamples = samples;
    this.hasExactUsage = exact;
    this.coldStartsWithEvidence = withEvidence;
    this.coldStartsWithExactUsage = withExact;
    this.invocationsWithExactUsage = exactInvocations;

    long[] init = new long[coldStarts];
    int i = 0;
    for (Profile profile : profiles) {
      for (ColdStart coldStart : profile.coldStarts()) {
        init[i++] = coldStart.initUs();
      }
    }
    this.initUs = Distribution.ofSortingInPlace(init, init.length);

    Merger merger = new Merger();
    for (Profile profile : profiles) {
      merger.add(profile);
    }
    this.usage = merger.usage();
    this.hasUnseen = usage.values().stream().anyMatch(stats -> stats.coldStartsUnseen() > 0);
    this.modules = merger.modules();
    this.callTree = profiles.size() == 1 ? profiles.get(0).callTree() : CallTreeMerger.merge(profiles);
  }

  /**
   * Merges profiles of one app.
   *
   * @throws IllegalArgumentException when the profiles are of different apps (use {@link ProfileLoader} to
   *     load files and set aside profiles of other apps with an error each)
   */
  public static ProfileSet of(List<Profile> profiles) {
    List<Profile> sorted = new ArrayList<>(profiles);
    sorted.sort(Comparator.comparing((Profile p) -> p.source().path().toString())
        .thenComparing(p -> p.source().kind()));
    for (Profile profile : sorted) {
      if (!profile.app().name().equals(sorted.get(0).app().name())) {
        throw new IllegalArgumentException("profiles of different apps: " + sorted.get(0).app().name()
            + " (" + sorted.get(0).source().path() + ") and " + profile.app().name() + " ("
            + profile.source().path() + ")");
      }
    }
    return new ProfileSet(List.copyOf(sorted));
  }

  /** The app: its name, and the handler and root of the first profile that records them. */
  public App app() {
    return app;
  }

  /** The merged profiles, ordered by source path. */
  public List<Profile> profiles() {
    return profiles;
  }

  /** Cold starts over all profiles. */
  public int coldStartCount() {
    return coldStartCount;
  }

  /** Invocations over all profiles (pickles and importtime logs record none). */
  public int invocationCount() {
    return invocationCount;
  }

  /** True when any profile holds samples; false when all are importtime logs or sampler-less runs. */
  public boolean hasSamples() {
    return hasSamples;
  }

  /** True when any profile has an exact usage signal. */
  public boolean hasExactUsage() {
    return hasExactUsage;
  }

  /**
   * True when every cold start with usage evidence was observed by an exact usage signal. A set that mixes
   * exact profiles with sample-only ones (environments on Python 3.12 and on 3.11, a local exact run beside
   * Lambda's profiles, an environment whose signal could not start) is not: in its sampled cold starts a
   * module may have run between two samples, so "not seen running" proves nothing there.
   */
  public boolean exactInEveryColdStart() {
    return coldStartsWithEvidence > 0 && coldStartsWithExactUsage() == coldStartsWithEvidence;
  }

  /** True when some cold start says anything about execution-phase usage. */
  public boolean usageKnown() {
    return coldStartsWithEvidence > 0;
  }

  /**
   * Cold starts that served no invocation ({@link Profile#servedAnInvocation}): their init counts, their usage
   * does not (they are in no denominator of usage counts).
   */
  public int idleColdStarts() {
    return idleColdStarts;
  }

  /**
   * Cold starts that served an invocation and whose profile has samples or an exact usage signal (the denominator
   * of usage counts).
   */
  public int coldStartsWithUsageEvidence() {
    return coldStartsWithEvidence;
  }

  /** Init time over all cold starts. */
  public Distribution initUs() {
    return initUs;
  }

  /** Every module imported after the agent started in any cold start, by name. */
  public SortedMap<String, ModuleStats> modules() {
    return modules;
  }

  /** One module's merged statistics, if it was imported in any cold start. */
  public Optional<ModuleStats> module(String name) {
    return Optional.ofNullable(modules.get(name));
  }

  /**
   * Usage of any module seen in any cold start, including modules imported before the agent started
   * (e.g. the standard library preloaded by the runtime), by name.
   */
  public SortedMap<String, UsageStats> usage() {
    return usage;
  }

  /** Usage of one module; no use with the set's evidence when the module was never seen running. */
  public UsageStats usageOf(String module) {
    UsageStats stats = usage.get(module);
    return stats != null ? stats : noUse();
  }

  /**
   * Usage of a module or any of its submodules ({@code numpy} counts {@code numpy.core.fromnumeric}): what an
   * import of a package is really used for. Cold starts and invocations are counted once however many
   * submodules ran; {@link UsageStats#executionSamples()} sums the submodules' samples, so a sample in two
   * submodules counts twice.
   */
  public UsageStats usageOfTree(String module) {
    int executed = 0;
    int sampled = 0;
    int used = 0;
    long samples = 0;
    int invocationsExecuted = 0;
    int unseen = 0;
    for (Profile profile : profiles) {
      if (!profile.usageKnown()) {
        continue;
      }
      boolean exact = profile.hasExactUsage();
      for (ColdStart coldStart : profile.coldStarts()) {
        if (!profile.servedAnInvocation(coldStart)) {
          continue;
        }
        boolean anyExecuted = false;
        boolean anySampled = false;
        boolean anyUnknown = false;
        for (ModuleUsage usage : usageInTree(coldStart, module)) {
          anyExecuted |= exact && usage.executed();
          anyUnknown |= exact && usage.executedUnknown();
          anySampled |= usage.samples() > 0;
          samples += usage.samples();
        }
        executed += anyExecuted ? 1 : 0;
        sampled += anySampled ? 1 : 0;
        used += anyExecuted || anySampled ? 1 : 0;
        unseen += anyUnknown && !anyExecuted && !anySampled ? 1 : 0;
        if (profile.hasUsagePerInvocation()) {
          for (Invocation invocation : coldStart.invocations()) {
            if (invocation.modulesExecuted().stream().anyMatch(name -> isInTree(name, module))) {
              invocationsExecuted++;
            }
          }
        }
      }
    }
    return new UsageStats(coldStartsWithEvidence, coldStartsWithExactUsage(), executed, sampled, used, samples,
        invocationsWithExactUsage, invocationsExecuted, unseen);
  }

  /** The usage, in one cold start, of {@code module} and of its submodules. */
  private static List<ModuleUsage> usageInTree(ColdStart coldStart, String module) {
    List<ModuleUsage> found = new ArrayList<>();
    for (Map.Entry<String, ModuleUsage> entry : coldStart.moduleUsage().subMap(module, module + "/").entrySet()) {
      if (isInTree(entry.getKey(), module)) {
        found.add(entry.getValue());
      }
    }
    return found;
  }

  private static boolean isInTree(String name, String module) {
    return name.equals(module) || (name.startsWith(module) && name.charAt(module.length()) == '.');
  }

  /** The call trees of all profiles merged: equal frame paths become one node, counts are summed. */
  public CallTree callTree() {
    return callTree;
  }

  /**
   * The cold starts with usage evidence but no exact signal, with their execution-phase samples: there "not seen
   * running" rests on samples alone for every module (all cold starts of a sample-only set, none of an exact one).
   */
  public SampledColdStarts coldStartsWithoutExactUsage() {
    if (!hasExactUsage) {
      return new SampledColdStarts(coldStartsWithEvidence, callTree.totalExecutionSamples());
    }
    long samples = 0;
    for (Profile profile : profiles) {
      if (profile.usageKnown() && !profile.hasExactUsage()) {
        samples += profile.callTree().totalExecutionSamples();
      }
    }
    return new SampledColdStarts(coldStartsWithEvidence - coldStartsWithExactUsage, samples);
  }

  /**
   * The cold starts with an exact signal that could not tell whether the module trees of {@code modules} ran
   * ({@code executedUnknown}) and in which none of them ran or was sampled, with their execution-phase samples:
   * there the trees' non-use rests on that cold start's samples alone. A cold start counts once however many of
   * the trees its signal could not tell about.
   */
  public SampledColdStarts coldStartsUnseen(List<String> modules) {
    if (!hasUnseen) {
      return SampledColdStarts.NONE; // a cold start is counted for a module unknown and not used there
    }
    int coldStarts = 0;
    long samples = 0;
    for (Profile profile : profiles) {
      if (!profile.usageKnown() || !profile.hasExactUsage()) {
        continue;
      }
      for (ColdStart coldStart : profile.coldStarts()) {
        if (!profile.servedAnInvocation(coldStart)) {
          continue;
        }
        boolean used = false;
        boolean unknown = false;
        for (String module : modules) {
          for (ModuleUsage usage : usageInTree(coldStart, module)) {
            used |= usage.executed() || usage.samples() > 0;
            unknown |= usage.executedUnknown();
          }
        }
        if (unknown && !used) {
          coldStarts++;
          samples += coldStart.executionSamples();
        }
      }
    }
    return new SampledColdStarts(coldStarts, samples);
  }

  /** Cold starts whose profile has an exact usage signal. */
  public int coldStartsWithExactUsage() {
    return coldStartsWithExactUsage;
  }

  /** A module never seen running, with this set's evidence. */
  private UsageStats noUse() {
    return new UsageStats(coldStartsWithEvidence, coldStartsWithExactUsage, 0, 0, 0, 0, invocationsWithExactUsage, 0);
  }

  private static App mergedApp(List<Profile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("a profile set needs at least one profile");
    }
    String name = profiles.get(0).app().name();
    String handler = null;
    String root = null;
    for (Profile profile : profiles) {
      handler = handler != null ? handler : profile.app().handler();
      root = root != null ? root : profile.app().root();
    }
    return new App(name, handler, root);
  }

  /** Accumulates modules and usage over cold starts; one instance per set. */
  private final class Merger {
    private final Map<String, ModuleAccumulator> modules = new HashMap<>();
    private final Map<String, UsageAccumulator> usage = new HashMap<>();

    void add(Profile profile) {
      boolean evidence = profile.usageKnown();
      boolean exact = profile.hasExactUsage();
      for (ColdStart coldStart : profile.coldStarts()) {
        for (ModuleImport module : coldStart.modules()) {
          modules.computeIfAbsent(module.name(), ModuleAccumulator::new).add(module);
        }
        if (!evidence || !profile.servedAnInvocation(coldStart)) {
          continue;
        }
        for (Map.Entry<String, ModuleUsage> entry : coldStart.moduleUsage().entrySet()) {
          UsageAccumulator acc = usage.computeIfAbsent(entry.getKey(), name -> new UsageAccumulator());
          ModuleUsage moduleUsage = entry.getValue();
          boolean executed = exact && moduleUsage.executed();
          acc.samples += moduleUsage.samples();
          if (executed) {
            acc.coldStartsExecuted++;
          }
          if (moduleUsage.samples() > 0) {
            acc.coldStartsSampled++;
          }
          if (executed || moduleUsage.samples() > 0) {
            acc.coldStartsUsed++;
          } else if (exact && moduleUsage.executedUnknown()) {
            acc.coldStartsUnseen++;
          }
        }
        if (profile.hasUsagePerInvocation()) {
          for (Invocation invocation : coldStart.invocations()) {
            for (String name : invocation.modulesExecuted()) {
              usage.computeIfAbsent(name, n -> new UsageAccumulator()).invocationsExecuted++;
            }
          }
        }
      }
    }

    SortedMap<String, UsageStats> usage() {
      SortedMap<String, UsageStats> result = new TreeMap<>();
      for (Map.Entry<String, UsageAccumulator> entry : usage.entrySet()) {
        UsageAccumulator acc = entry.getValue();
        result.put(entry.getKey(), new UsageStats(coldStartsWithEvidence, coldStartsWithExactUsage,
            acc.coldStartsExecuted, acc.coldStartsSampled, acc.coldStartsUsed, acc.samples, invocationsWithExactUsage,
            acc.invocationsExecuted, acc.coldStartsUnseen));
      }
      return Collections.unmodifiableSortedMap(result);
    }

    /** After the set's usage is in place: each module's statistics carry its usage. */
    SortedMap<String, ModuleStats> modules() {
      SortedMap<String, ModuleStats> result = new TreeMap<>();
      for (ModuleAccumulator acc : modules.values()) {
        result.put(acc.name, acc.build(usageOf(acc.name)));
      }
      return Collections.unmodifiableSortedMap(result);
    }
  }

  private static final class UsageAccumulator {
    long samples;
    int coldStartsExecuted;
    int coldStartsSampled;
    int coldStartsUsed;
    int invocationsExecuted;
    int coldStartsUnseen;
  }

  private static final class ModuleAccumulator {
    private final String name;
    private long[] selfUs = new long[4];
    private long[] cumulativeUs = new long[4];
    private long[] rssDelta = new long[4];
    private int imported;
    private int atInit;
    private int rssCount;
    private final Map<String, Integer> files = new HashMap<>();
    private final Map<String, Integer> parents = new HashMap<>();
    private final SortedMap<Trigger, Integer> triggers = new TreeMap<>();

    ModuleAccumulator(String name) {
      this.name = name;
    }

    void add(ModuleImport module) {
      if (imported == selfUs.length) {
        selfUs = Arrays.copyOf(selfUs, imported * 2);
        cumulativeUs = Arrays.copyOf(cumulativeUs, imported * 2);
      }
      selfUs[imported] = module.selfUs();
      cumulativeUs[imported] = module.cumulativeUs();
      imported++;
      if (module.phase() == Phase.INIT) {
        atInit++;
      }
      if (module.rssDeltaBytes() != null) {
        if (rssCount == rssDelta.length) {
          rssDelta = Arrays.copyOf(rssDelta, rssCount * 2);
        }
        rssDelta[rssCount++] = module.rssDeltaBytes();
      }
      files.merge(Objects.toString(module.file(), ""), 1, Integer::sum);
      parents.merge(Objects.toString(module.parent(), ""), 1, Integer::sum);
      if (module.trigger() != null) {
        triggers.merge(module.trigger(), 1, Integer::sum);
      }
    }

    ModuleStats build(UsageStats usage) {
      return new ModuleStats(name, imported, atInit,
          Distribution.ofSortingInPlace(selfUs, imported),
          Distribution.ofSortingInPlace(cumulativeUs, imported),
          Distribution.ofSortingInPlace(rssDelta, rssCount),
          emptyToNull(mostFrequent(files)), emptyToNull(mostFrequent(parents)),
          Collections.unmodifiableSortedMap(triggers), usage);
    }

    private static String mostFrequent(Map<String, Integer> counts) {
      String best = null;
      int bestCount = -1;
      for (Map.Entry<String, Integer> entry : counts.entrySet()) {
        int count = entry.getValue();
        if (count > bestCount || (count == bestCount && entry.getKey().compareTo(best) < 0)) {
          best = entry.getKey();
          bestCount = count;
        }
      }
      return best;
    }

    private static String emptyToNull(String value) {
      return value == null || value.isEmpty() ? null : value;
    }
  }
}
