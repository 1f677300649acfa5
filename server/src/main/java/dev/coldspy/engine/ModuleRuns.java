package dev.coldspy.engine;

import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.ModuleUsage;
import dev.coldspy.profile.PathMapper;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * How each module's code ran, cold start by cold start over a profile set (the cold starts numbered across its
 * profiles in order). Answers "used at init" for a statement: code of its modules called during init from
 * code outside them, e.g. the app's module-level {@code MODEL = load_model()} calling joblib. Immutable.
 */
public final class ModuleRuns {
  /**
   * Init-time use of a group of modules.
   *
   * @param coldStarts cold starts in which code outside the group called code of the group during init
   * @param callers the calling modules, sorted (a caller of no known module is not named)
   */
  public record InitUse(int coldStarts, SortedSet<String> callers) {
    public static final InitUse NONE = new InitUse(0, new TreeSet<>());

    public InitUse {
      callers = Collections.unmodifiableSortedSet(new TreeSet<>(callers));
    }

    /** True when some cold start used the modules at init. */
    public boolean any() {
      return coldStarts > 0;
    }
  }

  private final List<Map<String, ModuleRun>> byColdStart;

  /** @param byColdStart per cold start, the runs by module name (modules that did not run may be absent) */
  public ModuleRuns(List<Map<String, ModuleRun>> byColdStart) {
    this.byColdStart = List.copyOf(byColdStart.stream().map(Map::copyOf).toList());
  }

  /**
   * What a profile set's cold starts record: a run during handler calls is an execution-phase sample, or the
   * exact usage signal's word where the profile has one (profiles without usage evidence record none). A run
   * at init is the exact signal's "used at init" with its callers (sys.monitoring, Python 3.12+), or on any
   * Python a cold start's import-phase call samples of the module with its callers found in the profile's call
   * tree while app code ran ({@link dev.coldspy.profile.CallTree#importPhaseCallers}, merged over its cold
   * starts; the app's files are those under its root outside site-packages).
   */
  public static ModuleRuns of(ProfileSet profiles) {
    return of(profiles, relativePath -> false);
  }

  /**
   * The same for an application whose folder holds vendored libraries (Lambda's zip layout: pandas/ beside
   * handler.py): their files are a library's, not the app's, so a vendored library's module body calling
   * another's function while it is imported (pandas' class bodies running its decorators) is what importing it
   * costs, as it is for an installed library, and not use at init. (Counted as use, such calls came and went
   * with where the samples fell, and with them which part of a library "never ran".)
   *
   * @param vendored whether a file, by its path relative to the application root ('/'-separated), is a
   *     vendored library's
   */
  public static ModuleRuns of(ProfileSet profiles, Predicate<String> vendored) {
    List<Map<String, ModuleRun>> byColdStart = new ArrayList<>(profiles.coldStartCount());
    for (Profile profile : profiles.profiles()) {
      boolean evidence = profile.usageKnown();
      boolean exact = profile.hasExactUsage();
      Map<String, SortedSet<String>> sampledCallers = null;
      for (ColdStart coldStart : profile.coldStarts()) {
        Map<String, ModuleRun> runs = new HashMap<>();
        for (Map.Entry<String, ModuleUsage> entry : coldStart.moduleUsage().entrySet()) {
          ModuleUsage usage = entry.getValue();
          // A module the exact signal could not see (executedUnknown) may have run: it is never an unused part.
          boolean inCalls = evidence
              && (usage.samples() > 0 || (exact && (usage.executed() || usage.executedUnknown())));
          SortedSet<String> sampled = null;
          if (usage.importPhaseCallSamples() > 0) {
            if (sampledCallers == null) {
              String appRoot = profile.app().root();
              sampledCallers = profile.callTree().importPhaseCallers(
                  file -> appRoot != null && file.startsWith(appRoot + "/") && !PathMapper.isInstalled(file)
                      && !vendored.test(CodePaths.display(file, appRoot)));
            }
            sampled = sampledCallers.get(entry.getKey());
          }
          if (!inCalls && !usage.usedAtInit() && sampled == null) {
            continue;
          }
          Set<String> callers = new HashSet<>(usage.initCallers());
          boolean unknownCaller = usage.usedAtInit() && usage.initCallers().isEmpty();
          if (sampled != null && !unknownCaller) {
            callers.addAll(sampled);
          }
          runs.put(entry.getKey(), new ModuleRun(inCalls, usage.usedAtInit() || sampled != null, callers));
        }
        byColdStart.add(runs);
      }
    }
    return new ModuleRuns(byColdStart);
  }

  /** How {@code module}'s code ran in a cold start. */
  public ModuleRun of(int coldStart, String module) {
    return byColdStart.get(coldStart).getOrDefault(module, ModuleRun.NONE);
  }

  /** How code of the modules under {@code prefixes} (each with its submodules) was used at init. */
  public InitUse initUse(List<String> prefixes) {
    return initUse(prefixes, new boolean[byColdStart.size()], Set.of());
  }

  /**
   * The same, joined with a statement's own evidence of use at init: in the cold starts {@code ranAtInit}
   * marks, the statement itself ran at init inside a function that {@code callers}' module-level code called.
   */
  public InitUse initUse(List<String> prefixes, boolean[] ranAtInit, Set<String> ranAtInitCallers) {
    int coldStarts = 0;
    SortedSet<String> callers = new TreeSet<>();
    for (int coldStart = 0; coldStart < byColdStart.size(); coldStart++) {
      Map<String, ModuleRun> runs = byColdStart.get(coldStart);
      boolean used = coldStart < ranAtInit.length && ranAtInit[coldStart];
      if (used) {
        callers.addAll(ranAtInitCallers);
      }
      for (Map.Entry<String, ModuleRun> entry : runs.entrySet()) {
        ModuleRun run = entry.getValue();
        if (!run.atInit() || !UsageIndex.under(entry.getKey(), prefixes)) {
          continue;
        }
        if (run.initCallers().isEmpty()) {
          used = true;
        }
        for (String caller : run.initCallers()) {
          if (!UsageIndex.under(caller, prefixes)) {
            used = true;
            callers.add(caller);
          }
        }
      }
      coldStarts += used ? 1 : 0;
    }
    return coldStarts == 0 ? InitUse.NONE : new InitUse(coldStarts, callers);
  }
}
