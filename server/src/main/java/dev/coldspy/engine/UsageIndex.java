package dev.coldspy.engine;

import dev.coldspy.profile.CallTree;
import dev.coldspy.profile.ModuleStats;
import dev.coldspy.profile.PathMapper;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.SampledColdStarts;
import dev.coldspy.profile.UsageStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Execution-phase usage of groups of modules ("pandas and its submodules"), over the cold starts and the
 * merged call tree of a profile set. A package counts as used when code of any of its submodules ran;
 * import-phase samples never count.
 */
final class UsageIndex {
  private final ProfileSet profiles;
  private final CallTree tree;
  /** Distinct module names of the call tree's frames, and each node's index into them (-1: none). */
  private final List<String> moduleNames = new ArrayList<>();
  private final int[] nodeModule;
  private final Map<List<String>, UsageEvidence> evidenceCache = new HashMap<>();
  private final int[] appAncestor;
  private final PathMapper<SourceFile> paths;
  private final boolean known;
  private final boolean exact;
  private final SampledColdStarts withoutExactSignal;
  private final long sampleIntervalUs;

  UsageIndex(ProfileSet profiles, PathMapper<SourceFile> paths) {
    this.profiles = profiles;
    this.paths = paths;
    this.tree = profiles.callTree();
    this.exact = profiles.exactInEveryColdStart();
    this.withoutExactSignal = profiles.coldStartsWithoutExactUsage();
    // Without an exact signal only execution-phase samples tell about use: none at all means unknown. No cold
    // start that served an invocation: unknown too.
    this.known = profiles.usageKnown()
        && (profiles.hasExactUsage() || profiles.callTree().totalExecutionSamples() > 0);
    long interval = 0;
    for (Profile profile : profiles.profiles()) {
      Long value = profile.settings().sampleIntervalUs();
      if (value != null && profile.hasSamples()) {
        interval = Math.max(interval, value);
      }
    }
    this.sampleIntervalUs = interval;

    Map<String, String> moduleOfFile = new HashMap<>();
    for (ModuleStats stats : profiles.modules().values()) {
      if (stats.file() != null) {
        moduleOfFile.putIfAbsent(stats.file(), stats.name());
      }
    }
    // Per frame first (frames are far fewer than nodes), then per node by its frame.
    int frames = tree.frameCount();
    int[] frameModule = new int[frames];
    boolean[] frameInApp = new boolean[frames];
    Map<String, Integer> moduleIds = new HashMap<>();
    for (int frame = 0; frame < frames; frame++) {
      String module = tree.frameModule(frame);
      module = module != null ? module : moduleOfFile.get(tree.frameFile(frame));
      frameModule[frame] = module == null ? -1 : moduleIds.computeIfAbsent(module, name -> {
        moduleNames.add(name);
        return moduleNames.size() - 1;
      });
      frameInApp[frame] = paths.toWorkspace(tree.frameFile(frame)).isPresent();
    }
    int nodes = tree.nodeCount();
    nodeModule = new int[nodes];
    nodeModule[0] = -1;
    appAncestor = new int[nodes];
    appAncestor[0] = -1;
    for (int node = 1; node < nodes; node++) {
      int frame = tree.frameOf(node);
      nodeModule[node] = frameModule[frame];
      appAncestor[node] = frameInApp[frame] ? node : appAncestor[tree.parentOf(node)];
    }
  }

  /** True when the profiles say anything about execution-phase use (exact signal or execution samples). */
  boolean known() {
    return known;
  }

  /**
   * Usage of the modules under any of {@code prefixes}. Cold starts and invocations come from the profile
   * set's usage of each module tree (a statement naming several libraries counts as used as its most used
   * one); samples are counted on the call tree, once per sample however many of the modules its stack holds.
   */
  UsageEvidence evidence(List<String> prefixes) {
    if (!known) {
      // what the profiles hold (cold starts that served an invocation, a sampling interval) says why it is unknown
      return new UsageEvidence(false, false, 0, profiles.coldStartsWithUsageEvidence(), 0, 0, 0, 0, sampleIntervalUs);
    }
    return evidenceCache.computeIfAbsent(List.copyOf(prefixes), this::computeEvidence);
  }

  private UsageEvidence computeEvidence(List<String> prefixes) {
    UsageStats most = null;
    for (String prefix : prefixes) {
      UsageStats stats = profiles.usageOfTree(prefix);
      if (most == null || stats.coldStartsUsed() > most.coldStartsUsed()
          || (stats.coldStartsUsed() == most.coldStartsUsed()
              && stats.invocationsExecuted() > most.invocationsExecuted())) {
        most = stats;
      }
    }
    int coldStarts = profiles.coldStartsWithUsageEvidence();
    SampledColdStarts unseen = profiles.hasExactUsage() ? profiles.coldStartsUnseen(prefixes) : SampledColdStarts.NONE;
    return new UsageEvidence(
        true,
        exact && unseen.coldStarts() == 0,
        most == null ? 0 : most.coldStartsUsed(),
        coldStarts,
        most == null ? 0 : most.invocationsExecuted(),
        most == null ? 0 : most.invocationsObserved(),
        samplesUnder(prefixes),
        tree.totalExecutionSamples(),
        sampleIntervalUs,
        withoutExactSignal,
        unseen);
  }

  /**
   * Where the application's code calls into the modules under {@code prefixes}: the innermost application
   * frame above each entry into them, with the execution samples below it, most samples first.
   */
  List<UseSite> useSites(List<String> prefixes, int limit) {
    Map<String, long[]> samplesBySite = new TreeMap<>();
    Map<String, UseSite> sites = new HashMap<>();
    boolean[] matching = matching(prefixes);
    boolean[] inside = new boolean[tree.nodeCount()];
    for (int node = 1; node < tree.nodeCount(); node++) {
      int parent = tree.parentOf(node);
      inside[node] = inside[parent] || (nodeModule[node] >= 0 && matching[nodeModule[node]]);
      if (!inside[node] || inside[parent] || tree.executionInclusive(node) == 0) {
        continue;
      }
      int app = appAncestor[parent];
      if (app < 0) {
        continue;
      }
      int frame = tree.frameOf(app);
      SourceFile file = paths.toWorkspace(tree.frameFile(frame)).orElseThrow();
      // the profile's line, moved to where that code is now
      int line = file.currentLine(tree.frameFunction(frame), tree.frameLine(frame), prefixes);
      String key = file.relativePath() + ":" + line;
      samplesBySite.computeIfAbsent(key, k -> new long[1])[0] += tree.executionInclusive(node);
      sites.putIfAbsent(key, new UseSite(file.displayPath(), line, tree.frameFunction(frame), 0));
    }
    List<UseSite> result = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : samplesBySite.entrySet()) {
      UseSite site = sites.get(entry.getKey());
      result.add(new UseSite(site.file(), site.oneBasedLine(), site.function(), entry.getValue()[0]));
    }
    result.sort(
        (a, b) -> a.samples() != b.samples() ? Long.compare(b.samples(), a.samples())
            : a.file().equals(b.file()) ? Integer.compare(a.oneBasedLine(), b.oneBasedLine()) : a.file().compareTo(b.file()));
    return result.size() > limit ? List.copyOf(result.subList(0, limit)) : List.copyOf(result);
  }

  private long samplesUnder(List<String> prefixes) {
    // A sample counts once however many frames of the modules its stack holds: count the self samples of
    // every node at or below the first frame of the modules on each path.
    long samples = 0;
    boolean[] matching = matching(prefixes);
    boolean[] inside = new boolean[tree.nodeCount()];
    for (int node = 1; node < tree.nodeCount(); node++) {
      inside[node] = inside[tree.parentOf(node)] || (nodeModule[node] >= 0 && matching[nodeModule[node]]);
      if (inside[node]) {
        samples += tree.executionSelf(node);
      }
    }
    return samples;
  }

  /** For each distinct module of the call tree, whether it is under one of {@code prefixes}. */
  private boolean[] matching(List<String> prefixes) {
    boolean[] matching = new boolean[moduleNames.size()];
    for (int i = 0; i < matching.length; i++) {
      matching[i] = under(moduleNames.get(i), prefixes);
    }
    return matching;
  }

  static boolean under(String module, List<String> prefixes) {
    if (module == null) {
      return false;
    }
    for (String prefix : prefixes) {
      if (module.equals(prefix) || (module.startsWith(prefix) && module.charAt(prefix.length()) == '.')) {
        return true;
      }
    }
    return false;
  }
}
