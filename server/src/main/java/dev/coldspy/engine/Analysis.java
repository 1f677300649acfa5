package dev.coldspy.engine;

import java.util.List;

/**
 * The engine's answer for one application: findings ranked by estimated saving, the cost of every import
 * statement (for inlay hints and the report) and a summary. Immutable.
 *
 * @param findings ranked: largest estimated saving first, then cost, file, line; usage-unknown findings (no
 *     estimate) after the others
 * @param statements every import statement of the given files that runs, in file and line order
 * @param summary the handler at a glance
 * @param fixedSinceProfiling imports the profile saw at init that the code no longer runs there, in file and
 *     line order
 */
public record Analysis(List<Finding> findings, List<StatementCost> statements, HandlerSummary summary,
    List<FixedSinceProfiling> fixedSinceProfiling) {
  public Analysis {
    findings = List.copyOf(findings);
    statements = List.copyOf(statements);
    fixedSinceProfiling = List.copyOf(fixedSinceProfiling);
  }
}
