package dev.coldspy.profile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Shares the garbage collections of a cold start's imports out among the imports by their own time.
 *
 * <p>A collection runs when allocations cross a threshold, so it lands in whichever import is running at that
 * moment. A full collection walks the whole heap (16-21 ms with boto3, pydantic and numpy loaded), and the
 * import it interrupts is charged for all of it: a profiled {@code rich.console} read 45 ms where it costs about
 * 25 ms, and a run without the agent, whose allocations differ, put the same collection in {@code numpy.dtypes}.
 * Leaving a module out of init saves its own work and the collecting its allocations cause, not the collection
 * that happened to fall into it. So the collections recorded inside imports ({@code modules[j].gcUs}) are taken
 * out of the import they landed in and shared among the imports of the same phase in proportion to their own
 * time without collections, the measure of allocation a profile has. Every import keeps the same total, and
 * each cumulative time changes by the sum of its sub-tree's changes.
 */
final class CollectionShares {
  private CollectionShares() {}

  /**
   * The modules with collections shared out, in the same order.
   *
   * @param modules one cold start's imports in the order they started (a parent before its children)
   * @param collectionUs per module, the collection time recorded inside its own time (0 when none or not
   *     recorded); a figure above the module's own time counts as its own time
   */
  static List<ModuleImport> shareOut(List<ModuleImport> modules, long[] collectionUs) {
    int count = modules.size();
    long[] ownUs = new long[count];
    long[] poolUs = new long[Phase.values().length];
    long[] withoutUs = new long[Phase.values().length];
    for (int i = 0; i < count; i++) {
      ModuleImport module = modules.get(i);
      long collected = Math.min(Math.max(collectionUs[i], 0), module.selfUs());
      ownUs[i] = module.selfUs() - collected;
      poolUs[module.phase().ordinal()] += collected;
      withoutUs[module.phase().ordinal()] += ownUs[i];
    }
    boolean anyPool = false;
    for (int phase = 0; phase < poolUs.length; phase++) {
      anyPool |= poolUs[phase] > 0 && withoutUs[phase] > 0;
    }
    if (!anyPool) {
      return modules;
    }
    long[] deltaUs = new long[count];
    for (int i = 0; i < count; i++) {
      int phase = modules.get(i).phase().ordinal();
      if (poolUs[phase] > 0 && withoutUs[phase] > 0) {
        long shared = Math.round((double) poolUs[phase] * ownUs[i] / withoutUs[phase]);
        deltaUs[i] = ownUs[i] + shared - modules.get(i).selfUs();
      }
    }
    long[] subtreeDeltaUs = deltaUs.clone();
    int[] parents = parentIndexes(modules);
    for (int i = count - 1; i >= 0; i--) {
      if (parents[i] >= 0) {
        subtreeDeltaUs[parents[i]] += subtreeDeltaUs[i];
      }
    }
    List<ModuleImport> shared = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ModuleImport m = modules.get(i);
      shared.add(new ModuleImport(m.name(), m.parent(), m.file(), Math.max(0, m.selfUs() + deltaUs[i]),
          Math.max(0, m.cumulativeUs() + subtreeDeltaUs[i]), m.phase(), m.trigger(), m.rssDeltaBytes(),
          m.statement(), m.bytecode()));
    }
    return shared;
  }

  /**
   * Each module's parent entry by position, -1 for a top-level one. Imports are listed in start order, so the
   * parent of an entry is the innermost import still open with the parent's name: the entries after it that
   * are not among its ancestors have finished. A parent name that is not open (a damaged profile) closes
   * nothing.
   */
  private static int[] parentIndexes(List<ModuleImport> modules) {
    int[] parents = new int[modules.size()];
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = 0; i < modules.size(); i++) {
      String parent = modules.get(i).parent();
      boolean parentOpen = false;
      for (int entry : open) {
        parentOpen |= modules.get(entry).name().equals(parent);
      }
      if (parentOpen || parent == null) {
        while (!open.isEmpty() && !modules.get(open.peek()).name().equals(parent)) {
          open.pop();
        }
      }
      parents[i] = parentOpen ? open.peek() : -1; // a parent never listed: the entry stands alone
      open.push(i);
    }
    return parents;
  }
}
