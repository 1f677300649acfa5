package dev.coldspy.profile;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the pickles written by the original ColdSpy research profiler: a dict with {@code import_times}
 * (tuples {@code (module, origin_or_None, self_us, cumulative_us, indent)} parsed from {@code -X importtime})
 * and {@code cct} (nested dicts {@code {"frame": (file, function, line), "samples": n, "children": {...}}}).
 * One pickle is one run, so one cold start. The pickle is decoded by razorvine's unpickler, which builds plain
 * collections and never runs code from the file.
 *
 * <h2>What the reader derives, and how</h2>
 * <ul>
 *   <li><b>Import machinery</b> frames are those of {@code <frozen importlib._bootstrap>},
 *       {@code <frozen importlib._bootstrap_external>}, {@code <frozen zipimport>}, the non-frozen
 *       {@code importlib/_bootstrap*.py}, and {@code importlib.import_module} / {@code __import__}.
 *   <li>The <b>entry file</b> (the handler module) is the file of the shallowest {@code <module>} frame that
 *       calls the import machinery directly; the app root is its directory.
 *   <li>A sample is <b>import-phase</b> when an import-machinery frame is on its stack, or when it is in the
 *       handler module's top-level code outside a handler call (e.g. {@code console = Console()}). It is
 *       <b>execution-phase</b> when no import is in progress and a function of the entry file is on the stack,
 *       called either by code outside the entry file (a runtime such as Lambda's bootstrap, after init) or
 *       from the entry file's top-level statement with the largest line that calls one of its functions (the
 *       {@code if __name__ == "__main__":} block that calls the handler when the file is run as a script).
 *       Limitation: if only a module-level init call into the entry file's own functions was sampled, it is
 *       taken for the handler call.
 *   <li><b>Triggers</b>: for a module whose top-level code was sampled, the innermost frame above its
 *       {@code <module>} frame outside the import machinery is the importing statement. Modules never
 *       sampled (most, at the research profiler's 100 ms interval) have no trigger.
 *   <li><b>Phase</b> of a module: execution when its {@code <module>} frame was sampled within a handler call,
 *       else init.
 *   <li><b>The research profiler itself</b> (the package {@code profiler} that the handler imports first, and
 *       everything its import pulled in) is left out, as our agent leaves out its own modules. It is known by
 *       its files ({@code profiler/__init__.py} loading {@code profiler/it.py} and {@code profiler/cct.py}),
 *       so an app's own package that happens to be called {@code profiler} is kept.
 *   <li><b>Module usage</b>: execution-phase samples whose stack holds a frame of the module, once per sample.
 *       There is no exact usage signal.
 *   <li><b>App name</b>: {@code <app_id>} of the file name {@code <app_id>-<unix_time>.pkl}.
 *   <li><b>Init time</b>: the summed cumulative time of the top-level init imports (nothing else is measured).
 * </ul>
 */
final class PickleProfileReader {
  /** The research profiler's package: imported by the handler's first line, it is the agent, not the app. */
  private static final String RESEARCH_PROFILER_PACKAGE = "profiler";
  /** Its own modules (sampler and call tree), which its import loads from its own directory. */
  private static final List<String> RESEARCH_PROFILER_MODULES = List.of("it", "cct");
  private static final String MODULE_FUNCTION = "<module>";
  private static final Pattern PYTHON_LIB = Pattern.compile("/python(\\d+\\.\\d+)/");

  private final Path path;

  // Call tree as read from the pickle, in depth-first order (parents before children).
  private final List<String> frameFiles = new ArrayList<>();
  private final List<String> frameFunctions = new ArrayList<>();
  private final List<Integer> frameLines = new ArrayList<>();
  private final Map<List<Object>, Integer> frameIds = new HashMap<>();
  private int[] parent = new int[256];
  private int[] frame = new int[256];
  private int[] samples = new int[256];
  private int nodes;

  private PickleProfileReader(Path path) {
    this.path = path;
  }

  static Profile read(Path path, InputStream in) throws ProfileFormatException, IOException {
    byte[] bytes = in.readAllBytes(); // at most ReadLimits.MAX_FILE_BYTES: the stream is bounded
    PickleScanner.check(path, bytes);
    Object document;
    try {
      document = new Unpickler().loads(bytes);
    } catch (PickleException | IOException e) {
      throw new ProfileFormatException(path, "not a readable pickle: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // e.g. a text INT opcode whose digits are not a number: razorvine lets NumberFormatException through
      throw new ProfileFormatException(path, "corrupt pickle: " + e, e);
    }
    bytes = null; // the unpickled objects are what is left to read
    PickleProfileReader reader = new PickleProfileReader(path);
    List<ImportTimeTree.Entry> entries = reader.take(document);
    document = null; // the unpickled dicts are large: let them go before the profile is built
    return reader.convert(entries);
  }

  /** Copies what the profile needs out of the unpickled objects: the import records and the call tree. */
  private List<ImportTimeTree.Entry> take(Object document) throws ProfileFormatException {
    if (!(document instanceof Map<?, ?> top) || !(top.get("import_times") instanceof List<?> importTimes)
        || !(top.get("cct") instanceof Map<?, ?> cct)) {
      throw shape("expected a dict with 'import_times' (a list) and 'cct' (a dict), found " + describe(document));
    }
    List<ImportTimeTree.Entry> entries = readImportTimes(importTimes);
    readCallTree(cct);
    return entries;
  }

  private Profile convert(List<ImportTimeTree.Entry> entries) {

    boolean[] machinery = new boolean[frameFiles.size()];
    for (int f = 0; f < machinery.length; f++) {
      machinery[f] = isImportMachinery(frameFiles.get(f), frameFunctions.get(f));
    }
    int[] depth = new int[nodes];
    for (int n = 1; n < nodes; n++) {
      depth[n] = depth[parent[n]] + 1;
    }
    String entryFile = entryFile(machinery, depth);
    String appRoot = entryFile == null ? null : directoryOf(entryFile);

    Map<String, String> moduleByFile = new HashMap<>();
    for (ImportTimeTree.Entry entry : entries) {
      if (entry.file() != null) {
        moduleByFile.putIfAbsent(entry.file(), entry.name());
      }
    }
    String[] frameModule = new String[frameFiles.size()];
    for (int f = 0; f < frameModule.length; f++) {
      String file = frameFiles.get(f);
      frameModule[f] = moduleByFile.getOrDefault(file, appModuleName(file, appRoot));
    }

    // Per node: is an import in progress, and is a handler call on the stack.
    boolean[] inImport = new boolean[nodes];
    boolean[] inHandlerCall = new boolean[nodes];
    int mainBlockLine = mainBlockLine(entryFile, machinery);
    for (int n = 1; n < nodes; n++) {
      int f = frame[n];
      int p = parent[n];
      inImport[n] = inImport[p] || machinery[f];
      inHandlerCall[n] = inHandlerCall[p] || (!inImport[n] && isHandlerCall(n, entryFile, mainBlockLine));
    }

    CallTreeBuilder tree = new CallTreeBuilder();
    int[] built = new int[nodes];
    int importSamples = 0;
    int executionSamples = 0;
    for (int n = 1; n < nodes; n++) {
      int f = frame[n];
      built[n] = tree.child(built[parent[n]],
          tree.frame(frameFiles.get(f), frameFunctions.get(f), frameLines.get(f), frameModule[f]));
      boolean execution = !inImport[n] && inHandlerCall[n];
      tree.addSamples(built[n], execution ? 0 : samples[n], execution ? samples[n] : 0);
      if (execution) {
        executionSamples += samples[n];
      } else {
        importSamples += samples[n];
      }
    }
    importSamples += samples[0];
    tree.addSamples(0, samples[0], 0);

    Map<String, ModuleUsage> usage = moduleUsage(inImport, inHandlerCall, frameModule);
    List<ModuleImport> modules = new ArrayList<>();
    long initUs = 0;
    Map<String, Integer> moduleFrameNode = moduleFrameNodes(frameModule);
    ImportTimeTree.Entry researchProfiler = researchProfiler(entries);
    List<ImportTimeTree.Node> ordered = ImportTimeTree.inImportOrder(entries, entry -> entry == researchProfiler);
    for (ImportTimeTree.Node node : ordered) {
      ImportTimeTree.Entry entry = node.entry();
      Integer sampledAt = moduleFrameNode.get(entry.name());
      Phase phase = sampledAt != null && inHandlerCall[sampledAt] ? Phase.EXECUTION : Phase.INIT;
      Trigger trigger = sampledAt == null ? null : trigger(sampledAt, machinery);
      modules.add(new ModuleImport(entry.name(), node.parent() == null ? null : node.parent().name(), entry.file(),
          entry.selfUs(), entry.cumulativeUs(), phase, trigger, null));
      if (node.parent() == null && phase == Phase.INIT) {
        initUs += entry.cumulativeUs();
      }
    }

    ColdStart coldStart = new ColdStart(0, initUs, null, importSamples, executionSamples, modules, List.of(),
        new TreeMap<>(usage));
    List<String> files = new ArrayList<>(new TreeSet<>(allFiles(entries)));
    return new Profile(new ProfileSource(path, SourceKind.PICKLE),
        new App(ProfileFileNames.appName(path), null, appRoot),
        new Environment(pythonVersion(entries), null, null, null, false, null),
        new ProfilerSettings(null, "cpu", UsageSignal.NONE, "none", 1),
        null, files, List.of(coldStart), tree.build(), List.of(), List.of());
  }

  /**
   * The import record of the research profiler, or null: a top-level {@code profiler} package loaded from
   * {@code <dir>/profiler/__init__.py} whose import loaded {@code profiler.it} and {@code profiler.cct} from
   * {@code <dir>/profiler/it.py} and {@code cct.py}. The files, not the name alone, tell it from an app's own
   * package called {@code profiler}, which stays.
   */
  private static ImportTimeTree.Entry researchProfiler(List<ImportTimeTree.Entry> postOrder) {
    for (int i = 0; i < postOrder.size(); i++) {
      ImportTimeTree.Entry entry = postOrder.get(i);
      String init = "/" + RESEARCH_PROFILER_PACKAGE + "/__init__.py";
      if (!entry.name().equals(RESEARCH_PROFILER_PACKAGE) || entry.file() == null || !entry.file().endsWith(init)) {
        continue;
      }
      String directory = entry.file().substring(0, entry.file().length() - "__init__.py".length());
      List<String> ownModules = new ArrayList<>();
      // Post-order: the records its import loaded come right before it, indented deeper.
      for (int j = i - 1; j >= 0 && postOrder.get(j).indent() > entry.indent(); j--) {
        ImportTimeTree.Entry loaded = postOrder.get(j);
        for (String module : RESEARCH_PROFILER_MODULES) {
          if (loaded.name().equals(RESEARCH_PROFILER_PACKAGE + "." + module)
              && (directory + module + ".py").equals(loaded.file())) {
            ownModules.add(module);
          }
        }
      }
      if (ownModules.containsAll(RESEARCH_PROFILER_MODULES)) {
        return entry;
      }
    }
    return null;
  }

  private List<ImportTimeTree.Entry> readImportTimes(List<?> importTimes) throws ProfileFormatException {
    List<ImportTimeTree.Entry> entries = new ArrayList<>(importTimes.size());
    for (int i = 0; i < importTimes.size(); i++) {
      Object[] tuple = tuple(importTimes.get(i));
      if (tuple == null || tuple.length != 5 || !(tuple[0] instanceof String name)
          || !(tuple[1] == null || tuple[1] instanceof String) || !isInteger(tuple[2]) || !isInteger(tuple[3])
          || !isInteger(tuple[4])) {
        throw shape("import_times[" + i + "] is not a (module, file or None, self_us, cumulative_us, indent) tuple: "
            + describe(importTimes.get(i)));
      }
      for (int t = 2; t <= 3; t++) {
        String problem = ReadLimits.checkTime(toLong(tuple[t]));
        if (problem != null) {
          throw shape("import_times[" + i + "] has a " + problem);
        }
      }
      long indent = toLong(tuple[4]);
      if (indent < 0 || indent > Integer.MAX_VALUE) {
        throw shape("import_times[" + i + "] has an invalid indent " + indent);
      }
      entries.add(new ImportTimeTree.Entry(PrintableText.of(name), PrintableText.of((String) tuple[1]),
          toLong(tuple[2]), toLong(tuple[3]), (int) indent));
    }
    return entries;
  }

  /**
   * One distinct dict of the pickled call tree, checked once however many places share it (a pickle can make
   * one dict the child of several nodes, or of itself).
   */
  private static final class TreeDict {
    final Object[] frameTuple;
    final int samples;
    final String[] childKeys;
    final TreeDict[] children;
    Map<?, ?>[] childDicts; // until the children are resolved
    boolean onPath;
    /** Nodes of the subtree once shared dicts are counted at every place, at most MAX_CALL_TREE_NODES + 1. */
    long expandedNodes;

    TreeDict(Object[] frameTuple, int samples, String[] childKeys, Map<?, ?>[] childDicts) {
      this.frameTuple = frameTuple;
      this.samples = samples;
      this.childKeys = childKeys;
      this.childDicts = childDicts;
      this.children = new TreeDict[childDicts.length];
    }
  }

  /** A dict on the current path of the walk, with the key it was reached by and the next child to visit. */
  private static final class Step {
    final TreeDict dict;
    final String key;
    int nextChild;

    Step(TreeDict dict, String key) {
      this.dict = dict;
      this.key = key;
    }
  }

  /**
   * Reads the nested dicts without recursion, in two passes. The first walks the distinct dicts depth-first
   * (an identity-keyed visited set), checks each one's shape once, refuses a dict that contains itself, and
   * folds the subtree sizes bottom-up with memoisation, so that shared sub-dicts cost one visit each; a tree
   * that would unfold to more than {@link ReadLimits#MAX_CALL_TREE_NODES} nodes is refused before anything is
   * unfolded. The second pass unfolds the tree into the node arrays, children in key order.
   */
  private void readCallTree(Map<?, ?> rootDict) throws ProfileFormatException {
    Map<Map<?, ?>, TreeDict> seen = new IdentityHashMap<>();
    List<Step> path = new ArrayList<>();
    TreeDict root = treeDict(rootDict, path, "cct");
    seen.put(rootDict, root);
    root.onPath = true;
    path.add(new Step(root, "cct"));
    while (!path.isEmpty()) {
      Step step = path.get(path.size() - 1);
      TreeDict dict = step.dict;
      if (step.nextChild < dict.children.length) {
        int c = step.nextChild++;
        Map<?, ?> childDict = dict.childDicts[c];
        TreeDict child = seen.get(childDict);
        if (child == null) {
          child = treeDict(childDict, path, dict.childKeys[c]);
          seen.put(childDict, child);
          child.onPath = true;
          path.add(new Step(child, dict.childKeys[c]));
        } else if (child.onPath) {
          throw shape(where(path, dict.childKeys[c]) + " contains itself: it is the dict at " + where(path, child));
        }
        dict.children[c] = child;
      } else {
        long expanded = 1;
        for (TreeDict child : dict.children) {
          expanded = Math.min(expanded + child.expandedNodes, ReadLimits.MAX_CALL_TREE_NODES + 1L);
        }
        dict.expandedNodes = expanded;
        dict.childDicts = null;
        dict.onPath = false;
        path.remove(path.size() - 1);
      }
    }
    if (root.expandedNodes > ReadLimits.MAX_CALL_TREE_NODES) {
      throw shape("the call tree has more than " + ReadLimits.MAX_CALL_TREE_NODES + " nodes once its shared"
          + " dicts are counted at every place they occur (" + seen.size() + " distinct dicts)");
    }
    unfold(root);
  }

  /** Numbers the nodes of the tree depth-first, children in key order, shared dicts at every place. */
  private void unfold(TreeDict root) throws ProfileFormatException {
    List<TreeDict> pendingDicts = new ArrayList<>();
    int[] pendingParents = new int[16];
    pendingDicts.add(root);
    pendingParents[0] = -1;
    long totalSamples = 0;
    while (!pendingDicts.isEmpty()) {
      int last = pendingDicts.size() - 1;
      TreeDict dict = pendingDicts.remove(last);
      int index = addNode(pendingParents[last], dict);
      totalSamples += dict.samples;
      if (totalSamples > Integer.MAX_VALUE) {
        throw shape("the call tree holds more than " + Integer.MAX_VALUE + " samples");
      }
      // Pushed in reverse so that they are numbered in key order.
      for (int k = dict.children.length - 1; k >= 0; k--) {
        if (pendingDicts.size() == pendingParents.length) {
          pendingParents = Arrays.copyOf(pendingParents, pendingParents.length * 2);
        }
        pendingParents[pendingDicts.size()] = index;
        pendingDicts.add(dict.children[k]);
      }
    }
  }

  private record KeyedChild(String key, Object value) {}

  /** Checks the shape of one call-tree dict reached by {@code key} from the end of {@code path}. */
  private TreeDict treeDict(Map<?, ?> node, List<Step> path, String key) throws ProfileFormatException {
    Object[] frameTuple = tuple(node.get("frame"));
    if (frameTuple == null || frameTuple.length != 3 || !(frameTuple[0] instanceof String)
        || !(frameTuple[1] instanceof String) || !isInteger(frameTuple[2])
        || !isInteger(node.get("samples")) || !(node.get("children") instanceof Map<?, ?> children)) {
      throw shape(where(path, key) + " is not a {'frame': (file, function, line), 'samples': n, 'children': {...}}"
          + " dict: " + describe(node));
    }
    long samples = toLong(node.get("samples"));
    if (samples < 0 || samples > Integer.MAX_VALUE) {
      throw shape(where(path, key) + " has an invalid sample count " + samples);
    }
    // Children in key order (the unpickled dict has lost its order).
    List<KeyedChild> entries = new ArrayList<>(children.size());
    for (Map.Entry<?, ?> entry : children.entrySet()) {
      entries.add(new KeyedChild(keyText(entry.getKey()), entry.getValue()));
    }
    entries.sort(Comparator.comparing(KeyedChild::key));
    String[] keys = new String[entries.size()];
    Map<?, ?>[] dicts = new Map<?, ?>[entries.size()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = entries.get(k).key();
      if (!(entries.get(k).value() instanceof Map<?, ?> child)) {
        throw shape(where(path, key) + " has a child that is not a dict: " + describe(entries.get(k).value()));
      }
      dicts[k] = child;
    }
    return new TreeDict(frameTuple, (int) samples, keys, dicts);
  }

  /**
   * Where a dict is, for a message: the keys from the root, e.g. {@code cct > ('/var/task/h.py', '<module>', 2)};
   * a long path shows its first and last keys only.
   *
   * @param path the dicts from the root to the parent of the one meant
   * @param key the key of the one meant under its parent
   */
  private static String where(List<Step> path, String key) {
    List<String> keys = new ArrayList<>();
    path.forEach(step -> keys.add(step.key));
    keys.add(key);
    return shortPath(keys);
  }

  /** Where {@code dict}, which is on {@code path}, is. */
  private static String where(List<Step> path, TreeDict dict) {
    List<String> keys = new ArrayList<>();
    for (Step step : path) {
      keys.add(step.key);
      if (step.dict == dict) {
        break;
      }
    }
    return shortPath(keys);
  }

  private static String shortPath(List<String> keys) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.size() > 8 && i == 3) {
        shown.add("... (" + (keys.size() - 7) + " more)");
        i = keys.size() - 5;
        continue;
      }
      String text = keys.get(i);
      shown.add(text.length() > 80 ? text.substring(0, 80) + "..." : text);
    }
    return String.join(" > ", shown);
  }

  private int addNode(int parentNode, TreeDict dict) {
    if (nodes == parent.length) {
      parent = Arrays.copyOf(parent, nodes * 2);
      frame = Arrays.copyOf(frame, nodes * 2);
      samples = Arrays.copyOf(samples, nodes * 2);
    }
    parent[nodes] = parentNode;
    samples[nodes] = dict.samples;
    if (parentNode < 0) {
      frame[nodes] = -1; // the root: ('root', '', 0)
    } else {
      Object[] frameTuple = dict.frameTuple;
      List<Object> key = List.of(frameTuple[0], frameTuple[1], toLong(frameTuple[2]));
      Integer known = frameIds.get(key);
      if (known == null) {
        known = frameFiles.size();
        frameIds.put(key, known);
        frameFiles.add(PrintableText.of((String) frameTuple[0]));
        frameFunctions.add(PrintableText.of((String) frameTuple[1]));
        frameLines.add((int) Math.max(0, Math.min(Integer.MAX_VALUE, toLong(frameTuple[2]))));
      }
      frame[nodes] = known;
    }
    return nodes++;
  }

  /** The file of the shallowest {@code <module>} frame that calls the import machinery directly. */
  private String entryFile(boolean[] machinery, int[] depth) {
    int best = -1;
    for (int n = 1; n < nodes; n++) {
      int p = parent[n];
      if (p > 0 && machinery[frame[n]] && !machinery[frame[p]] && isModuleFrame(p)
          && (best < 0 || depth[p] < depth[best])) {
        best = p;
      }
    }
    if (best < 0) {
      // No import was sampled: fall back to the outermost frame.
      best = nodes > 1 ? 1 : -1;
    }
    return best < 0 ? null : frameFiles.get(frame[best]);
  }

  /**
   * The largest line of the entry file's top-level code that calls a function of the entry file directly:
   * taken as the {@code __main__} block calling the handler. -1 when there is none.
   */
  private int mainBlockLine(String entryFile, boolean[] machinery) {
    int line = -1;
    for (int n = 1; n < nodes; n++) {
      int p = parent[n];
      if (p > 0 && isEntryFunction(n, entryFile) && isModuleFrame(p) && entryFile.equals(frameFiles.get(frame[p]))
          && !machinery[frame[p]]) {
        line = Math.max(line, frameLines.get(frame[p]));
      }
    }
    return line;
  }

  private boolean isHandlerCall(int n, String entryFile, int mainBlockLine) {
    if (!isEntryFunction(n, entryFile)) {
      return false;
    }
    int p = parent[n];
    if (p == 0 || !entryFile.equals(frameFiles.get(frame[p]))) {
      return true; // called by a runtime, outside the handler module
    }
    return isModuleFrame(p) && frameLines.get(frame[p]) == mainBlockLine;
  }

  private boolean isEntryFunction(int n, String entryFile) {
    return entryFile != null && !isModuleFrame(n) && entryFile.equals(frameFiles.get(frame[n]));
  }

  private boolean isModuleFrame(int n) {
    return n > 0 && MODULE_FUNCTION.equals(frameFunctions.get(frame[n]));
  }

  /** The first node (depth-first order) running each module's top-level code. */
  private Map<String, Integer> moduleFrameNodes(String[] frameModule) {
    Map<String, Integer> first = new HashMap<>();
    for (int n = 1; n < nodes; n++) {
      String module = frameModule[frame[n]];
      if (module != null && isModuleFrame(n)) {
        first.putIfAbsent(module, n);
      }
    }
    return first;
  }

  /** The innermost frame above {@code moduleNode} outside the import machinery. */
  private Trigger trigger(int moduleNode, boolean[] machinery) {
    for (int n = parent[moduleNode]; n > 0; n = parent[n]) {
      if (!machinery[frame[n]]) {
        return new Trigger(frameFiles.get(frame[n]), frameLines.get(frame[n]));
      }
    }
    return null;
  }

  /**
   * Execution-phase samples per module, each sample counted once per module on its stack: the sum of the
   * execution samples under the outermost frames of the module on each path. Nodes are numbered in depth-first
   * order, so one pass with a stack of the current path is enough, however deep the stacks are.
   */
  private Map<String, ModuleUsage> moduleUsage(boolean[] inImport, boolean[] inHandlerCall, String[] frameModule) {
    long[] executionInclusive = new long[nodes];
    for (int n = nodes - 1; n > 0; n--) {
      if (!inImport[n] && inHandlerCall[n]) {
        executionInclusive[n] += samples[n];
      }
      executionInclusive[parent[n]] += executionInclusive[n];
    }
    Map<String, Long> counts = new TreeMap<>();
    Map<String, Integer> onPath = new HashMap<>();
    int[] path = new int[Math.max(1, nodes)];
    int depth = 0;
    for (int n = 1; n < nodes; n++) {
      while (depth > 0 && path[depth - 1] != parent[n]) {
        String left = frameModule[frame[path[--depth]]];
        if (left != null) {
          onPath.merge(left, -1, Integer::sum);
        }
      }
      path[depth++] = n;
      String module = frameModule[frame[n]];
      if (module != null && onPath.merge(module, 1, Integer::sum) == 1 && executionInclusive[n] > 0) {
        counts.merge(module, executionInclusive[n], Long::sum);
      }
    }
    Map<String, ModuleUsage> usage = new TreeMap<>();
    counts.forEach((module, count) ->
        usage.put(module, new ModuleUsage((int) Math.min(count, Integer.MAX_VALUE), false)));
    return usage;
  }

  private List<String> allFiles(List<ImportTimeTree.Entry> entries) {
    List<String> all = new ArrayList<>(frameFiles);
    for (ImportTimeTree.Entry entry : entries) {
      if (entry.file() != null) {
        all.add(entry.file());
      }
    }
    return all;
  }

  /** The {@code 3.11} of {@code /usr/lib/python3.11/...} paths, the most frequent one; null if none. */
  private static String pythonVersion(List<ImportTimeTree.Entry> entries) {
    Map<String, Integer> counts = new TreeMap<>();
    for (ImportTimeTree.Entry entry : entries) {
      if (entry.file() != null) {
        Matcher matcher = PYTHON_LIB.matcher(entry.file());
        if (matcher.find()) {
          counts.merge(matcher.group(1), 1, Integer::sum);
        }
      }
    }
    String best = null;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (best == null || e.getValue() > counts.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  static boolean isImportMachinery(String file, String function) {
    return file.startsWith("<frozen importlib.") || file.equals("<frozen zipimport>")
        || file.endsWith("/importlib/_bootstrap.py") || file.endsWith("/importlib/_bootstrap_external.py")
        || (file.endsWith("/importlib/__init__.py") && function.equals("import_module"))
        || function.equals("__import__");
  }

  /** Module name of a file under the app root ({@code pkg/mod.py} → {@code pkg.mod}), else null. */
  private static String appModuleName(String file, String appRoot) {
    if (appRoot == null || !file.startsWith(appRoot + "/") || !file.endsWith(".py")) {
      return null;
    }
    String relative = file.substring(appRoot.length() + 1, file.length() - 3);
    if (relative.endsWith("/__init__")) {
      relative = relative.substring(0, relative.length() - "/__init__".length());
    }
    return relative.replace('/', '.');
  }

  private static String directoryOf(String file) {
    int slash = file.lastIndexOf('/');
    return slash <= 0 ? null : file.substring(0, slash);
  }

  private static Object[] tuple(Object value) {
    if (value instanceof Object[] array) {
      return array;
    }
    if (value instanceof List<?> list) {
      return list.toArray();
    }
    return null;
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long
        || (value instanceof BigInteger big && big.bitLength() < 63);
  }

  private static long toLong(Object value) {
    return ((Number) value).longValue();
  }

  private ProfileFormatException shape(String problem) {
    return new ProfileFormatException(path, "unexpected pickle shape: " + problem);
  }

  /**
   * What a value is, for a message. Never descends into a collection: a pickle can make one contain itself, and
   * {@code toString} would then recurse until the stack overflows.
   */
  private static String describe(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Map<?, ?> map) {
      List<String> keys = new ArrayList<>();
      map.keySet().forEach(k -> keys.add(keyText(k)));
      keys.sort(null);
      String shown = String.join(", ", keys.subList(0, Math.min(5, keys.size())));
      return "a dict with keys [" + shown + (keys.size() > 5 ? ", ..." : "") + "]";
    }
    if (value instanceof Object[] || value instanceof List<?>) {
      return "a sequence of " + tuple(value).length + " items";
    }
    if (value instanceof Collection<?> collection) {
      return "a set of " + collection.size() + " items";
    }
    if (value instanceof byte[] bytes) {
      return "bytes of length " + bytes.length;
    }
    // Strings, numbers and booleans: nothing else reaches here (the pre-scan refuses opcodes building objects).
    String text = String.valueOf(value);
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "a " + value.getClass().getSimpleName() + " (" + shown + ")";
  }

  /** A dict key as text: strings as they are, anything else described (keys are strings in real pickles). */
  private static String keyText(Object key) {
    return key instanceof String text ? PrintableText.of(text) : describe(key);
  }
}
