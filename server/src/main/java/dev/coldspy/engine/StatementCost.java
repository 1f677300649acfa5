package dev.coldspy.engine;

import java.util.List;

/**
 * What one import statement costs per cold start: the import time of the modules it loaded first.
 *
 * @param file display path
 * @param line 1-based first line
 * @param column 1-based column of the statement's first character
 * @param endLine 1-based last line
 * @param statement the statement's text
 * @param costMedianUs median over all cold starts
 * @param costP90Us 90th percentile over all cold starts
 * @param rssDeltaBytes median memory growth of the modules it loaded, or -1 when not measured
 * @param moduleCount how many modules it loaded first (in any cold start)
 * @param heaviest the modules it loaded with the largest self time, heaviest first (at most five)
 * @param paidBy modules it names that another statement loaded first
 * @param usage execution-phase use of its modules
 */
public record StatementCost(
    String file,
    int line,
    int column,
    int endLine,
    String statement,
    double costMedianUs,
    double costP90Us,
    double rssDeltaBytes,
    int moduleCount,
    List<LoadedModule> heaviest,
    List<PaidBy> paidBy,
    UsageEvidence usage) {
  public StatementCost {
    heaviest = List.copyOf(heaviest);
    paidBy = List.copyOf(paidBy);
  }
}
