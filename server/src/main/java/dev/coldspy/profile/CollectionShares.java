package dev.coldspy.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Shares the full garbage collections of a cold start's imports out among the imports by their own time.
 *
 * <p>A full collection walks the whole heap (16-39 ms with boto3, pydantic and numpy loaded) and runs when the
 * objects that survived young collections have grown by a quarter since the last one: it lands in whichever
 * import crosses that line, and the import it interrupts was charged for all of it. A profiled {@code rich}
 * read 66 ms where leaving it out saved 38 ms of the init's work, because the same collection runs without rich
 * too, a little later. Leaving a module out saves its part of the heap the collection walks, not the
 * collection. So the full collections recorded inside imports ({@code modules[j].fullGcUs}) are taken out of
 * the import they landed in and shared among the imports of the same phase in proportion to their own time
 * without full collections, the measure of work (and so of allocation) a profile has. Young collections stay
 * where they ran: one runs every few hundred allocations, so they land in proportion to each import's own
 * allocations already.
 *
 * <p>Every phase keeps its total. A module's share of the pool is its own time times the phase's ratio of pool
 * to own time; its cumulative time gets the same ratio of its sub-tree's own time ({@code cumulativeUs} less
 * {@code fullGcCumulativeUs}), so no tree needs to be rebuilt from the profile's names.
 */
final class CollectionShares {
  private CollectionShares() {}

  /**
   * The modules with full collections shared out, in the same order.
   *
   * @param modules one cold start's imports
   * @param fullGcUs per module, the full collections that ran inside its own time (0 when none or not recorded);
   *     a figure above the module's own time counts as its own time
   * @param fullGcCumulativeUs per module, those that ran inside its import, nested imports included
   */
  static List<ModuleImport> shareOut(List<ModuleImport> modules, long[] fullGcUs, long[] fullGcCumulativeUs) {
    int count = modules.size();
    int phases = Phase.values().length;
    long[] poolUs = new long[phases];
    long[] ownUs = new long[phases];
    long[] collected = new long[count];
    for (int i = 0; i < count; i++) {
      ModuleImport module = modules.get(i);
      collected[i] = Math.min(Math.max(fullGcUs[i], 0), module.selfUs());
      poolUs[module.phase().ordinal()] += collected[i];
      ownUs[module.phase().ordinal()] += module.selfUs() - collected[i];
    }
    double[] ratio = new double[phases];
    boolean anyShared = false;
    for (int phase = 0; phase < phases; phase++) {
      if (poolUs[phase] > 0 && ownUs[phase] > 0) {
        ratio[phase] = (double) poolUs[phase] / ownUs[phase];
        anyShared = true;
      }
    }
    if (!anyShared) {
      return modules;
    }
    // Rounded from running sums, so that each phase's total stays exact to the microsecond.
    double[] exactSoFar = new double[phases];
    long[] roundedSoFar = new long[phases];
    List<ModuleImport> shared = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ModuleImport m = modules.get(i);
      int phase = m.phase().ordinal();
      if (ratio[phase] == 0) {
        shared.add(m);
        continue;
      }
      long own = m.selfUs() - collected[i];
      exactSoFar[phase] += own * (1 + ratio[phase]);
      long rounded = Math.round(exactSoFar[phase]);
      long selfUs = rounded - roundedSoFar[phase];
      roundedSoFar[phase] = rounded;
      long collectedInside = Math.min(Math.max(fullGcCumulativeUs[i], collected[i]), m.cumulativeUs());
      long cumulativeUs = Math.round((m.cumulativeUs() - collectedInside) * (1 + ratio[phase]));
      shared.add(new ModuleImport(m.name(), m.parent(), m.file(), selfUs, Math.max(selfUs, cumulativeUs), m.phase(),
          m.trigger(), m.rssDeltaBytes(), m.statement(), m.bytecode()));
    }
    return shared;
  }
}
