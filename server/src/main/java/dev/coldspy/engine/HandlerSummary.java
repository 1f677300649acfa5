package dev.coldspy.engine;

import dev.coldspy.profile.Distribution;
import java.util.List;

/**
 * The whole handler at a glance.
 *
 * @param app application name
 * @param handler the handler as profiled, or null when the profiles do not record it
 * @param profiles number of profiles merged
 * @param coldStarts cold starts over all profiles
 * @param invocations invocations over all profiles
 * @param initUs init time (import of the handler module) over the cold starts
 * @param attributableUs median import time of the flagged statements, summed
 * @param saving what fixing every finding saves of init and adds to the first invocation, per cold start
 *     (usage-unknown findings excluded)
 * @param notes what the reader should know about the evidence ("no samples: usage unknown", ...)
 */
public record HandlerSummary(
    String app,
    String handler,
    int profiles,
    int coldStarts,
    int invocations,
    Distribution initUs,
    double attributableUs,
    Estimate saving,
    List<String> notes) {
  public HandlerSummary {
    notes = List.copyOf(notes);
  }

  /** The net estimated saving per cold start of fixing every finding. */
  public double savingUs() {
    return saving.netUs();
  }

  /** True when the median init time is above an init-time budget ({@code budget-ms}). */
  public boolean exceedsBudget(double budgetMs) {
    return initUs.median() > budgetMs * 1000;
  }
}
