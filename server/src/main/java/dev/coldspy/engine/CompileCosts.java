package dev.coldspy.engine;

import dev.coldspy.profile.Bytecode;
import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.Distribution;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.PathMapper;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Time spent compiling the application's modules from source during init, from the {@code bytecode} records of
 * the profiles that have them (agents that write {@code environment.cacheTag}). The standard library is left
 * out: the runtime brings its bytecode and a deployment cannot change it.
 *
 * <p>Per cold start, the compile times of the init-phase modules compiled from source are summed; the figures
 * are medians over the cold starts with records, so a module compiled only in the first cold start (which
 * wrote a cache that later cold starts read) does not count as compiled on every cold start.
 *
 * @param coldStarts cold starts whose profile records bytecode; 0 when none does
 * @param medianUs median over those cold starts of the time compiling the application's modules at init
 * @param medianModules median over those cold starts of the number of the application's modules compiled at init
 * @param packages top-level packages with a median compile time above 0, largest first
 * @param causes the causes, by the compile time they explain over all cold starts, largest first
 * @param modules every module (the standard library's aside) with a bytecode record at init, by name
 */
public record CompileCosts(
    int coldStarts,
    double medianUs,
    int medianModules,
    List<CompileCosts.PackageCompile> packages,
    List<CompileCosts.Cause> causes,
    SortedMap<String, CompileCosts.ModuleCompile> modules) {
  /**
   * Why a module was compiled, as far as a profile can tell.
   *
   * <p>{@link #NOT_WRITTEN} and {@link #NOT_WRITABLE} are a missing cache ({@link Bytecode.Cause#NONE}) that the
   * interpreter did not write: by its settings, or because the folder is read-only — so the next cold start
   * compiles again.
   */
  public enum Cause {
    OTHER_VERSION("bytecode only for another Python version"),
    STALE("stale bytecode (the source's time or size differs from the one recorded in the .pyc)"),
    NOT_WRITABLE("no bytecode, and the folder is not writable (as a Lambda deployment is read-only)"),
    NOT_WRITTEN("no bytecode, and the interpreter does not write it (PYTHONDONTWRITEBYTECODE or -B)"),
    NONE("no bytecode");

    private final String description;

    Cause(String description) {
      this.description = description;
    }

    /** How a message names the cause. */
    public String description() {
      return description;
    }
  }

  /**
   * One module's compiling over the cold starts that imported it.
   *
   * @param name module name
   * @param compileUs median compile time over the cold starts that imported it with a record (0: read from cache)
   * @param compiledIn cold starts in which it was compiled from source
   * @param cause the agent's most frequent cause ({@code none}, {@code other-version}, {@code stale}), or null
   */
  public record ModuleCompile(String name, double compileUs, int compiledIn, String cause) {}

  /**
   * A top-level package's (or top-level module's) share.
   *
   * @param name the top-level name, e.g. {@code policyuniverse}
   * @param compileUs median over the cold starts of its modules' summed compile time
   * @param modules median number of its modules compiled per cold start
   */
  public record PackageCompile(String name, double compileUs, int modules) {}

  /** The compile costs recorded in a profile set (none when no profile records bytecode). */
  public static CompileCosts of(ProfileSet profiles) {
    return of(profiles, name -> true);
  }

  /** The same, counting only the modules {@code counted} accepts (by module name). */
  public static CompileCosts of(ProfileSet profiles, Predicate<String> counted) {
    List<Long> totals = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    Map<String, List<Long>> packageTotals = new TreeMap<>();
    Map<String, List<Long>> packageCounts = new TreeMap<>();
    Map<Cause, Double> causes = new EnumMap<>(Cause.class);
    Map<String, List<Long>> moduleTimes = new TreeMap<>();
    Map<String, Map<String, Integer>> moduleCauses = new HashMap<>();
    Map<String, Integer> compiledIn = new HashMap<>();
    int index = 0;
    for (Profile profile : profiles.profiles()) {
      if (profile.environment().cacheTag() == null) {
        continue;
      }
      boolean dontWrite = Boolean.TRUE.equals(profile.environment().dontWriteBytecode());
      for (ColdStart coldStart : profile.coldStarts()) {
        long total = 0;
        long count = 0;
        Map<String, long[]> perPackage = new TreeMap<>();
        for (ModuleImport module : coldStart.modules()) {
          if (module.bytecode() == null || module.phase() != Phase.INIT
              || (module.file() != null && PathMapper.isStandardLibrary(module.file()))
              || !counted.test(module.name())) {
            continue;
          }
          moduleTimes.computeIfAbsent(module.name(), name -> new ArrayList<>()).add(module.compileUs());
          if (!module.bytecode().compiled()) {
            continue;
          }
          total += module.compileUs();
          count++;
          long[] share = perPackage.computeIfAbsent(topLevel(module.name()), name -> new long[2]);
          share[0] += module.compileUs();
          share[1]++;
          compiledIn.merge(module.name(), 1, Integer::sum);
          Bytecode bytecode = module.bytecode();
          causes.merge(cause(bytecode, dontWrite), (double) module.compileUs(), Double::sum);
          if (bytecode.cause() != null) {
            moduleCauses.computeIfAbsent(module.name(), name -> new TreeMap<>())
                .merge(bytecode.cause().json(), 1, Integer::sum);
          }
        }
        for (String name : perPackage.keySet()) {
          packageTotals.computeIfAbsent(name, key -> zeros(totals.size()));
          packageCounts.computeIfAbsent(name, key -> zeros(counts.size()));
        }
        for (Map.Entry<String, List<Long>> entry : packageTotals.entrySet()) {
          long[] share = perPackage.getOrDefault(entry.getKey(), new long[2]);
          entry.getValue().add(share[0]);
          packageCounts.get(entry.getKey()).add(share[1]);
        }
        totals.add(total);
        counts.add(count);
        index++;
      }
    }
    List<PackageCompile> packages = new ArrayList<>();
    for (Map.Entry<String, List<Long>> entry : packageTotals.entrySet()) {
      double median = median(entry.getValue());
      if (median > 0) {
        packages.add(new PackageCompile(entry.getKey(), median, (int) median(packageCounts.get(entry.getKey()))));
      }
    }
    packages.sort(Comparator.comparingDouble((PackageCompile p) -> -p.compileUs()).thenComparing(PackageCompile::name));
    SortedMap<String, ModuleCompile> modules = new TreeMap<>();
    for (Map.Entry<String, List<Long>> entry : moduleTimes.entrySet()) {
      String name = entry.getKey();
      Map<String, Integer> byCause = moduleCauses.getOrDefault(name, Map.of());
      String cause = null; // the most frequent; a tie goes to the first by name (a TreeMap)
      for (Map.Entry<String, Integer> tally : byCause.entrySet()) {
        if (cause == null || tally.getValue() > byCause.get(cause)) {
          cause = tally.getKey();
        }
      }
      modules.put(name, new ModuleCompile(name, median(entry.getValue()), compiledIn.getOrDefault(name, 0), cause));
    }
    List<Cause> byTime = causes.entrySet().stream()
        .sorted(Map.Entry.<Cause, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).toList();
    return new CompileCosts(index, median(totals), (int) median(counts), List.copyOf(packages), byTime,
        Collections.unmodifiableSortedMap(modules));
  }

  private static Cause cause(Bytecode bytecode, boolean dontWrite) {
    if (bytecode.cause() == Bytecode.Cause.OTHER_VERSION) {
      return Cause.OTHER_VERSION;
    }
    if (bytecode.cause() == Bytecode.Cause.STALE) {
      return Cause.STALE;
    }
    if (Boolean.FALSE.equals(bytecode.cacheWritten())) {
      return dontWrite ? Cause.NOT_WRITTEN : Cause.NOT_WRITABLE;
    }
    return Cause.NONE;
  }

  private static String topLevel(String module) {
    int dot = module.indexOf('.');
    return dot < 0 ? module : module.substring(0, dot);
  }

  private static List<Long> zeros(int size) {
    return new ArrayList<>(Collections.nCopies(size, 0L));
  }

  private static double median(List<Long> values) {
    return values.isEmpty() ? 0 : Distribution.of(values.stream().mapToLong(Long::longValue).toArray()).median();
  }
}
