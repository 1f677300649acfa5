package dev.coldspy.engine;

import java.util.List;

/**
 * What one import statement costs per cold start: the import time of the modules it loaded first.
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
    UsageEvidence usage) {
  private static final int HEAVIEST = 5;

  public StatementCost {
    loaded = List.copyOf(loaded);
    paidBy = List.copyOf(paidBy);
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
