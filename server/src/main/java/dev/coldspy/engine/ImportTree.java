package dev.coldspy.engine;

import dev.coldspy.profile.Distribution;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.Trigger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.Set;
import java.util.TreeMap;

/**
 * The modules one statement loaded first, nested as the import system loaded them: a module sits under the
 * module whose import caused it when the statement loaded that one too, else it is a root. Each sub-tree
 * carries what it costs and whether any of its modules ran.
 *
 * <ul>
 *   <li>Cost: in each cold start the self import time of the sub-tree's modules summed (what deferring the
 *       import of its root avoids); the median and p90 over all cold starts, counting 0 where the statement
 *       did not load it, as for the statement's own cost.
 *   <li>Run: a cold start in which code of any module of the sub-tree ran during a handler call (execution
 *       samples, the exact usage signal), or during init called from code outside the sub-tree (the app's
 *       module-level {@code model = joblib.load(...)}, or a module of the statement whose own code was used). A
 *       module body running while it is imported is never a run, nor is a call made by it (matplotlib's import
 *       calling numpy is part of what importing matplotlib costs).
 * </ul>
 * Cold starts may nest the same modules differently; the tree takes each module's most frequent parent and
 * computes every sub-tree's figures cold start by cold start. Immutable once built.
 */
public final class ImportTree {
  /** The sub-tree of nothing: a statement that loaded no module first. */
  public static final ImportTree EMPTY = new ImportTree(List.of());

  private static final int PATH_LIMIT = 3;

  /**
   * One module and everything the statement loaded below it.
   *
   * @param module fully qualified module name
   * @param costUs median over all cold starts of the sub-tree's summed self import time
   * @param costP90Us 90th percentile of the same
   * @param moduleCount modules in the sub-tree, itself included
   * @param coldStartsLoaded cold starts in which the statement loaded this module
   * @param coldStartsRunInCalls cold starts in which code of the sub-tree ran during a handler call
   * @param coldStartsRunAtInit cold starts in which code of the sub-tree ran during init, called from code
   *     outside the sub-tree
   * @param coldStartsRun cold starts in which either happened
   * @param observable true when the sub-tree holds Python code whose running a profile can see; a sub-tree of
   *     compiled extensions only runs without a Python frame, so "never ran" means nothing for it
   * @param file the module's recorded origin path (the most frequent), or null
   * @param trigger the statement that imported the module (the most frequent), or null when unknown
   * @param children the sub-trees below it, heaviest first
   */
  public record Node(
      String module,
      double costUs,
      double costP90Us,
      int moduleCount,
      int coldStartsLoaded,
      int coldStartsRunInCalls,
      int coldStartsRunAtInit,
      int coldStartsRun,
      boolean observable,
      String file,
      Trigger trigger,
      List<Node> children) {
    public Node {
      Objects.requireNonNull(module, "module");
      children = List.copyOf(children);
    }

    /** Calls {@code action} on this node, then on each node below it, depth first. */
    public void forEachInSubTree(Consumer<Node> action) {
      action.accept(this);
      children.forEach(child -> child.forEachInSubTree(action));
    }

    /** True when code of the sub-tree ran in some cold start. */
    public boolean ran() {
      return coldStartsRun > 0;
    }

    /** True when its code ran only during init (called from other modules), never in a handler call. */
    public boolean ranOnlyAtInit() {
      return coldStartsRunAtInit > 0 && coldStartsRunInCalls == 0;
    }

    /**
     * Where the bulk of the sub-tree's cost lies: this module, then its heaviest child while that child holds
     * at least half of the cost above it, ending at the first module of another top-level package (the
     * library the sub-tree drags in) or after three modules: {@code igraph.drawing → matplotlib}.
     */
    public List<String> heavyPath() {
      List<String> path = new ArrayList<>();
      path.add(module);
      String topLevel = topLevel(module);
      Node current = this;
      while (path.size() < PATH_LIMIT && !current.children.isEmpty()) {
        Node heaviest = current.children.get(0);
        if (heaviest.costUs * 2 < current.costUs || heaviest.costUs <= 0) {
          break;
        }
        path.add(heaviest.module);
        if (!topLevel(heaviest.module).equals(topLevel)) {
          break;
        }
        current = heaviest;
      }
      return path;
    }
  }

  /**
   * A sub-tree none of whose code ran in any cold start, whose parent's sub-tree did (or a root).
   *
   * @param node the sub-tree
   * @param ancestors the modules from the tree's root down to the sub-tree's parent (empty for a root)
   */
  public record Unused(Node node, List<String> ancestors) {
    public Unused {
      ancestors = List.copyOf(ancestors);
    }

    /** True when the sub-tree is a root of the statement's tree (the statement's own module). */
    public boolean isRoot() {
      return ancestors.isEmpty();
    }
  }

  private final List<Node> roots;

  private ImportTree(List<Node> roots) {
    this.roots = List.copyOf(roots);
  }

  /** The modules the statement loaded first with no parent among them, heaviest first. */
  public List<Node> roots() {
    return roots;
  }

  /** True when the statement loaded no module first. */
  public boolean isEmpty() {
    return roots.isEmpty();
  }

  /** True when code of any of the statement's modules ran in some cold start. */
  public boolean anyRan() {
    return roots.stream().anyMatch(Node::ran);
  }

  /**
   * The largest sub-trees whose code never ran in any cold start (their parent's did, or they are roots) and
   * that a profile could have seen running, heaviest first. Their modules are disjoint.
   */
  public List<Unused> unused() {
    List<Unused> found = new ArrayList<>();
    for (Node root : roots) {
      collectUnused(root, new ArrayList<>(), found);
    }
    found.sort(Comparator.comparingDouble((Unused u) -> -u.node().costUs()).thenComparing(u -> u.node().module()));
    return List.copyOf(found);
  }

  private static void collectUnused(Node node, List<String> ancestors, List<Unused> found) {
    if (!node.ran()) {
      if (node.observable()) {
        found.add(new Unused(node, ancestors));
      }
      return;
    }
    ancestors.add(node.module());
    for (Node child : node.children()) {
      collectUnused(child, ancestors, found);
    }
    ancestors.remove(ancestors.size() - 1);
  }

  /** The top-level package of a module name: {@code igraph} for {@code igraph.drawing}. */
  static String topLevel(String module) {
    int dot = module.indexOf('.');
    return dot < 0 ? module : module.substring(0, dot);
  }

  /**
   * Collects one statement's modules cold start by cold start. Give each cold start's modules together, in the
   * order their imports started (a parent before its children), as a profile lists them.
   */
  public static final class Builder {
    private final int coldStarts;
    private final Map<String, Accumulator> byModule = new HashMap<>();
    private final List<Loaded> current = new ArrayList<>();
    private int currentColdStart = -1;

    /** @param coldStarts all cold starts of the profile set (the cost distributions count each one) */
    public Builder(int coldStarts) {
      this.coldStarts = coldStarts;
    }

    /**
     * One module the statement loaded first.
     *
     * @param coldStart 0-based index over the profile set's cold starts, non-decreasing from call to call
     * @param run how its code ran in that cold start
     */
    public void add(int coldStart, ModuleImport module, ModuleRun run) {
      if (coldStart < 0 || coldStart >= coldStarts) {
        throw new IllegalArgumentException("cold start " + coldStart + " of " + coldStarts);
      }
      if (coldStart != currentColdStart) {
        if (coldStart < currentColdStart) {
          throw new IllegalArgumentException("cold start " + coldStart + " after " + currentColdStart);
        }
        flush();
        currentColdStart = coldStart;
      }
      current.add(new Loaded(module, run));
    }

    /** The tree of everything added. */
    public ImportTree build() {
      flush();
      if (byModule.isEmpty()) {
        return EMPTY;
      }
      Map<String, String> parentOf = new HashMap<>();
      for (Accumulator acc : byModule.values()) {
        String parent = mostFrequent(acc.parents);
        if (byModule.containsKey(parent) && !reaches(parent, acc.name, parentOf)) {
          parentOf.put(acc.name, parent);
        }
      }
      Map<String, List<String>> childrenOf = new TreeMap<>();
      List<String> rootNames = new ArrayList<>();
      for (String name : new TreeMap<>(byModule).keySet()) {
        String parent = parentOf.get(name);
        if (parent == null) {
          rootNames.add(name);
        } else {
          childrenOf.computeIfAbsent(parent, p -> new ArrayList<>()).add(name);
        }
      }
      List<Node> roots = new ArrayList<>();
      for (String root : rootNames) {
        roots.add(node(root, childrenOf));
      }
      roots.sort(HEAVIEST_FIRST);
      return new ImportTree(roots);
    }

    private static final Comparator<Node> HEAVIEST_FIRST =
        Comparator.comparingDouble((Node n) -> -n.costUs()).thenComparing(Node::module);

    /** Whether following the chosen parents up from {@code from} reaches {@code target} (a cycle). */
    private static boolean reaches(String from, String target, Map<String, String> parentOf) {
      for (String at = from; at != null; at = parentOf.get(at)) {
        if (at.equals(target)) {
          return true;
        }
      }
      return false;
    }

    private Node node(String name, Map<String, List<String>> childrenOf) {
      Accumulator acc = byModule.get(name);
      List<Node> children = new ArrayList<>();
      int modules = 1;
      boolean observable = isPythonSource(acc.mostFrequentFile());
      for (String child : childrenOf.getOrDefault(name, List.of())) {
        Node node = node(child, childrenOf);
        children.add(node);
        modules += node.moduleCount();
        observable |= node.observable();
      }
      children.sort(HEAVIEST_FIRST);
      Distribution cost = Distribution.of(acc.costUs);
      return new Node(name, cost.median(), cost.p90(), modules, acc.loaded, acc.runInCalls, acc.runAtInit,
          acc.run, observable, acc.mostFrequentFile(), acc.mostFrequentTrigger(), children);
    }

    /** Sums each module's sub-tree in the current cold start and adds the sums to the accumulators. */
    private void flush() {
      int count = current.size();
      if (count == 0) {
        return;
      }
      Map<String, Integer> index = new HashMap<>();
      int[] parent = new int[count];
      for (int i = 0; i < count; i++) {
        ModuleImport module = current.get(i).module();
        Integer parentIndex = module.parent() == null ? null : index.get(module.parent());
        parent[i] = parentIndex == null ? -1 : parentIndex;
        index.putIfAbsent(module.name(), i);
      }
      long[] costUs = new long[count];
      boolean[] inCalls = new boolean[count];
      boolean[] atInit = new boolean[count];
      for (int i = count - 1; i >= 0; i--) {
        Loaded loaded = current.get(i);
        costUs[i] += loaded.module().selfUs();
        inCalls[i] |= loaded.run().inCalls();
        if (parent[i] >= 0) {
          costUs[parent[i]] += costUs[i];
          inCalls[parent[i]] |= inCalls[i];
        }
      }
      markUsedAtInit(index, parent, atInit);
      for (int i = 0; i < count; i++) {
        ModuleImport module = current.get(i).module();
        Accumulator acc = byModule.computeIfAbsent(module.name(), name -> new Accumulator(name, coldStarts));
        acc.costUs[currentColdStart] += costUs[i];
        acc.loaded++;
        acc.runInCalls += inCalls[i] ? 1 : 0;
        acc.runAtInit += atInit[i] ? 1 : 0;
        acc.run += inCalls[i] || atInit[i] ? 1 : 0;
        acc.parents.merge(parent[i] < 0 ? "" : current.get(parent[i]).module().name(), 1, Integer::sum);
        acc.files.merge(Objects.toString(module.file(), ""), 1, Integer::sum);
        if (module.trigger() != null) {
          acc.triggers.merge(module.trigger(), 1, Integer::sum);
        }
      }
      current.clear();
    }

    /**
     * Marks the sub-trees whose code ran at init called from code outside them. A call counts when its caller
     * is outside the statement's modules (the app's module-level code, code of no known module) or is a module
     * of the statement whose own code was used (called so at init, or run in a handler call): a library module
     * body calling its dependency while it is imported (heartpy.visualizeutils configuring matplotlib) is what
     * importing it costs, no use. A counted call marks the callee's sub-tree and those above it up to where
     * they meet the caller's.
     */
    private void markUsedAtInit(Map<String, Integer> index, int[] parent, boolean[] atInit) {
      int count = current.size();
      boolean[] used = new boolean[count];
      Map<Integer, List<Integer>> waitingFor = new HashMap<>();
      Deque<Integer> newlyUsed = new ArrayDeque<>();
      for (int i = 0; i < count; i++) {
        ModuleRun run = current.get(i).run();
        if (run.inCalls() && !used[i]) {
          used[i] = true;
          newlyUsed.add(i);
        }
        if (!run.atInit()) {
          continue;
        }
        if (run.initCallers().isEmpty()) {
          useAtInit(i, -1, parent, atInit, used, newlyUsed);
        }
        for (String caller : run.initCallers()) {
          Integer callerIndex = index.get(caller);
          if (callerIndex == null) {
            useAtInit(i, -1, parent, atInit, used, newlyUsed);
          } else if (callerIndex != i) {
            waitingFor.computeIfAbsent(callerIndex, c -> new ArrayList<>()).add(i);
          }
        }
      }
      while (!newlyUsed.isEmpty()) {
        int caller = newlyUsed.poll();
        for (int callee : waitingFor.getOrDefault(caller, List.of())) {
          useAtInit(callee, caller, parent, atInit, used, newlyUsed);
        }
      }
    }

    /** A counted call of {@code callee} by {@code caller} (-1: outside the statement's modules). */
    private static void useAtInit(int callee, int caller, int[] parent, boolean[] atInit, boolean[] used,
        Deque<Integer> newlyUsed) {
      Set<Integer> callerAncestors = new HashSet<>();
      for (int at = caller; at >= 0; at = parent[at]) {
        callerAncestors.add(at);
      }
      markUp(callee, callerAncestors, parent, atInit);
      if (!used[callee]) {
        used[callee] = true;
        newlyUsed.add(callee);
      }
    }

    private static boolean isPythonSource(String file) {
      return file != null && (file.endsWith(".py") || file.endsWith(".pyc") || file.endsWith(".pyw"));
    }

    private static <K extends Comparable<K>> K mostFrequent(Map<K, Integer> counts) {
      K best = null;
      int bestCount = 0;
      for (Map.Entry<K, Integer> entry : counts.entrySet()) {
        if (entry.getValue() > bestCount || (entry.getValue() == bestCount && entry.getKey().compareTo(best) < 0)) {
          best = entry.getKey();
          bestCount = entry.getValue();
        }
      }
      return best;
    }

    /** Marks {@code from} and its ancestors as run at init, up to the first of {@code stop}. */
    private static void markUp(int from, Set<Integer> stop, int[] parent, boolean[] atInit) {
      for (int at = from; at >= 0 && !stop.contains(at); at = parent[at]) {
        atInit[at] = true;
      }
    }

    private record Loaded(ModuleImport module, ModuleRun run) {}

    private static final class Accumulator {
      final String name;
      final long[] costUs;
      int loaded;
      int runInCalls;
      int runAtInit;
      int run;
      final Map<String, Integer> parents = new HashMap<>();
      final Map<String, Integer> files = new HashMap<>();
      final Map<Trigger, Integer> triggers = new HashMap<>();

      Accumulator(String name, int coldStarts) {
        this.name = name;
        this.costUs = new long[coldStarts];
      }

      String mostFrequentFile() {
        String file = mostFrequent(files);
        return file == null || file.isEmpty() ? null : file;
      }

      Trigger mostFrequentTrigger() {
        return mostFrequent(triggers);
      }
    }
  }

  /** Equal trees hold equal nodes: the same inputs give equal analyses (a statement's cost carries its tree). */
  @Override
  public boolean equals(Object other) {
    return other instanceof ImportTree tree && roots.equals(tree.roots);
  }

  @Override
  public int hashCode() {
    return roots.hashCode();
  }

  @Override
  public String toString() {
    return "ImportTree" + roots.stream().map(Node::module).toList();
  }
}
