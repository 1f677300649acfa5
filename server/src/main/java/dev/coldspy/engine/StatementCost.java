package dev.coldspy.engine;

import java.util.List;

/**
 * What one import statement (or a module-level statement whose calls import) costs per cold start: the
 * import time of the modules it loaded first.
 *
 * @param ref which statement it is
 * @param file display path
 * @param oneBasedLine 1-based first line
 * @param oneBasedColumn 1-based column of the statement's first character
 * @param oneBasedEndLine 1-based last line
 * @param statement the statement's text
 * @param costMedianUs median over all cold starts
 * @param costP90Us 90th percentile over all cold starts
 * @param rssDeltaBytes median memory growth of the modules it loaded, or -1 when not measured
 * @param loaded every module it loaded first (in any cold start), largest self time first
 * @param paidBy modules it names that another statement loaded first
 * @param usage execution-phase use of its modules
 * @param initUse use of its modules at init, called from code outside them (the app's module-level code)
 * @param tree the modules it loaded first as the import system nested them, each sub-tree with its cost and
 *     whether its code ran (the report draws it)
 * @param unusedParts the parts of what it loaded whose code never ran below code that did, heaviest first
 *     (at most five)
 * @param calls for a module-level statement that is no import, the code its call went through down to the
 *     imports ({@code joblib.numpy_pickle → pickle}); null for an import statement or when not recorded
 */
public record StatementCost(
    StatementRef ref,
    String file,
    int oneBasedLine,
    int oneBasedColumn,
    int oneBasedEndLine,
    String statement,
    double costMedianUs,
    double costP90Us,
    double rssDeltaBytes,
    List<LoadedModule> loaded,
    List<PaidBy> paidBy,
    UsageEvidence usage,
    ModuleRuns.InitUse initUse,
    ImportTree tree,
    List<UnusedPart> unusedParts,
    String calls) {
  private static final int HEAVIEST = 5;

  public StatementCost {
    loaded = List.copyOf(loaded);
    paidBy = List.copyOf(paidBy);
    unusedParts = List.copyOf(unusedParts.subList(0, Math.min(HEAVIEST, unusedParts.size())));
  }

  /** True when its modules' code ran at init (called from outside them) and never in a handler call. */
  public boolean usedAtInitOnly() {
    return initUse.any() && usage.known() && usage.coldStartsUsed() == 0;
  }

  /** How many modules it loaded first (in any cold start). */
  public int moduleCount() {
    return loaded.size();
  }

  /** The modules it loaded with the largest self time, heaviest first (at most five). */
  public List<LoadedModule> heaviest() {
    return loaded.subList(0, Math.min(HEAVIEST, loaded.size()));
  }
}
