package dev.coldspy.lsp;

import dev.coldspy.fix.FixPlan;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the hover says about fixes: nothing when a quick fix is offered, otherwise why none is. */
final class FixPlans {
  private FixPlans() {}

  /** Why no quick fix is offered for the statement's finding, or empty when at least one is safe. */
  static Optional<String> noFixReason(DocumentAnalysis analysis, AnalysedStatement statement) {
    if (statement.finding().isEmpty()) {
      return Optional.empty();
    }
    if (statement.finding().get().fixes().isEmpty()) {
      return Optional.of("none applies to this statement; follow the advice above");
    }
    List<FixPlan> plans = analysis.fixPlans(statement);
    if (plans.stream().anyMatch(plan -> plan instanceof FixPlan.Safe)) {
      return Optional.empty();
    }
    return Optional.of(plans.stream()
        .map(plan -> plan.kind().title() + ": " + ((FixPlan.Unsafe) plan).reason())
        .collect(Collectors.joining("; ")));
  }
}
