package dev.coldspy.profile;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One cold start: an interpreter that imported the handler module and then ran its invocations.
 *
 * @param index 0-based number within its profile
 * @param initUs wall time to import the handler module (for importtime logs and pickles: the summed
 *     cumulative time of the top-level imports, since nothing else is measured)
 * @param initPeakRssBytes peak RSS at the end of init, or null
 * @param importSamples import-phase samples in this cold start
 * @param executionSamples execution-phase samples in this cold start
 * @param modules modules imported after the agent started, in import order
 * @param invocations handler calls in order (empty when the format does not record them)
 * @param moduleUsage execution-phase usage per module name, sorted by name; modules without any usage may be
 *     absent
 */
public record ColdStart(
    int index,
    long initUs,
    Long initPeakRssBytes,
    int importSamples,
    int executionSamples,
    List<ModuleImport> modules,
    List<Invocation> invocations,
    SortedMap<String, ModuleUsage> moduleUsage) {
  public ColdStart {
    modules = List.copyOf(modules);
    invocations = List.copyOf(invocations);
    moduleUsage = Collections.unmodifiableSortedMap(new TreeMap<>(moduleUsage));
  }

  /** Usage of one module in this cold start; no samples and not executed when it has no entry. */
  public ModuleUsage usageOf(String module) {
    ModuleUsage usage = moduleUsage.get(module);
    return usage != null ? usage : new ModuleUsage(0, false);
  }

  /** The modules of this cold start by name (first import wins, as an interpreter imports a module once). */
  public Map<String, ModuleImport> modulesByName() {
    Map<String, ModuleImport> byName = new TreeMap<>();
    for (ModuleImport module : modules) {
      byName.putIfAbsent(module.name(), module);
    }
    return Collections.unmodifiableMap(byName);
  }
}
