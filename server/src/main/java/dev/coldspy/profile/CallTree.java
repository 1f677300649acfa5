package dev.coldspy.profile;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A calling-context tree of samples, held as parallel primitive arrays so that a million samples over
 * hundreds of thousands of nodes stay small and quick to walk.
 *
 * <p>Node 0 is the root (no frame). Every other node has a parent with a smaller index, so a forward loop
 * visits parents before children and a backward loop children before parents. Self counts are the samples
 * whose stack ends exactly at a node; inclusive counts (self plus all descendants) are computed once here.
 *
 * <p>Frames are shared by nodes: {@link #frameOf(int)} gives a node's frame index into the frame table
 * ({@link #frameFile(int)}, {@link #frameFunction(int)}, {@link #frameLine(int)}, {@link #frameModule(int)}).
 * Instances are immutable.
 */
public final class CallTree {
  /** A tree with only the root and no samples (importtime logs). */
  public static final CallTree EMPTY =
      new CallTree(new String[0], new String[0], new int[0], new String[0],
          new int[] {-1}, new int[] {-1}, new int[] {0}, new int[] {0});

  private static final String MODULE_BODY = "<module>";

  private final String[] frameFile;
  private final String[] frameFunction;
  private final int[] frameLine;
  private final String[] frameModule;

  private final int[] parent;
  private final int[] frame;
  private final int[] importSelf;
  private final int[] executionSelf;
  private final long[] importInclusive;
  private final long[] executionInclusive;
  private final int[] firstChild;
  private final int[] nextSibling;
  private final int[] depth;

  /**
   * Takes ownership of the arrays (callers must not change them afterwards).
   *
   * @param frameFile recorded path per frame (null when unknown)
   * @param frameFunction function name per frame ({@code <module>} for top-level code)
   * @param frameLine 1-based line per frame (0 when unknown)
   * @param frameModule owning module name per frame, or null
   * @param parent parent node per node; {@code parent[0] == -1}, else {@code parent[i] < i}
   * @param frame frame index per node; {@code frame[0] == -1}
   * @param importSelf import-phase self samples per node
   * @param executionSelf execution-phase self samples per node
   * @throws IllegalArgumentException when the arrays do not describe a tree
   */
  CallTree(String[] frameFile, String[] frameFunction, int[] frameLine, String[] frameModule,
      int[] parent, int[] frame, int[] importSelf, int[] executionSelf) {
    int frames = frameFile.length;
    if (frameFunction.length != frames || frameLine.length != frames || frameModule.length != frames) {
      throw new IllegalArgumentException("frame table columns differ in length");
    }
    int nodes = parent.length;
    if (nodes == 0 || frame.length != nodes || importSelf.length != nodes || executionSelf.length != nodes) {
      throw new IllegalArgumentException("node table columns differ in length or the root is missing");
    }
    if (parent[0] != -1 || frame[0] != -1) {
      throw new IllegalArgumentException("node 0 must be the root [-1, -1, ...]");
    }
    for (int i = 1; i < nodes; i++) {
      if (parent[i] < 0 || parent[i] >= i) {
        throw new IllegalArgumentException(
            "node " + i + " has parent " + parent[i] + ", which does not come before it");
      }
      if (frame[i] < 0 || frame[i] >= frames) {
        throw new IllegalArgumentException("node " + i + " refers to frame " + frame[i] + " of " + frames);
      }
    }
    for (int i = 0; i < nodes; i++) {
      if (importSelf[i] < 0 || executionSelf[i] < 0) {
        throw new IllegalArgumentException("node " + i + " has a negative sample count");
      }
    }
    this.frameFile = frameFile;
    this.frameFunction = frameFunction;
    this.frameLine = frameLine;
    this.frameModule = frameModule;
    this.parent = parent;
    this.frame = frame;
    this.importSelf = importSelf;
    this.executionSelf = executionSelf;

    importInclusive = new long[nodes];
    executionInclusive = new long[nodes];
    for (int i = nodes - 1; i >= 0; i--) {
      importInclusive[i] += importSelf[i];
      executionInclusive[i] += executionSelf[i];
      if (i > 0) {
        importInclusive[parent[i]] += importInclusive[i];
        executionInclusive[parent[i]] += executionInclusive[i];
      }
    }
    // Children linked in index order: iterate backwards and push to the front of each parent's list.
    firstChild = new int[nodes];
    nextSibling = new int[nodes];
    Arrays.fill(firstChild, -1);
    Arrays.fill(nextSibling, -1);
    for (int i = nodes - 1; i >= 1; i--) {
      nextSibling[i] = firstChild[parent[i]];
      firstChild[parent[i]] = i;
    }
    depth = new int[nodes];
    for (int i = 1; i < nodes; i++) {
      depth[i] = depth[parent[i]] + 1;
    }
  }

  /** Number of nodes, the root included. */
  public int nodeCount() {
    return parent.length;
  }

  /** Number of distinct frames. */
  public int frameCount() {
    return frameFile.length;
  }

  /** Parent node of {@code node}, -1 for the root. */
  public int parentOf(int node) {
    return parent[node];
  }

  /** Frame index of {@code node}, -1 for the root. */
  public int frameOf(int node) {
    return frame[node];
  }

  /** Depth of {@code node}: 0 for the root, 1 for the outermost frames. */
  public int depthOf(int node) {
    return depth[node];
  }

  /** First child of {@code node} in index order, or -1. */
  public int firstChildOf(int node) {
    return firstChild[node];
  }

  /** Next sibling of {@code node} in index order, or -1. */
  public int nextSiblingOf(int node) {
    return nextSibling[node];
  }

  /** Import-phase samples whose stack ends exactly at {@code node}. */
  public int importSelf(int node) {
    return importSelf[node];
  }

  /** Execution-phase samples whose stack ends exactly at {@code node}. */
  public int executionSelf(int node) {
    return executionSelf[node];
  }

  /** Import-phase samples at {@code node} or below it. */
  public long importInclusive(int node) {
    return importInclusive[node];
  }

  /** Execution-phase samples at {@code node} or below it. */
  public long executionInclusive(int node) {
    return executionInclusive[node];
  }

  /** All import-phase samples of the tree. */
  public long totalImportSamples() {
    return importInclusive[0];
  }

  /** All execution-phase samples of the tree. */
  public long totalExecutionSamples() {
    return executionInclusive[0];
  }

  /** Recorded path of a frame, or null when unknown. */
  public String frameFile(int frameIndex) {
    return frameFile[frameIndex];
  }

  /** Function name of a frame ({@code <module>} for module top-level code). */
  public String frameFunction(int frameIndex) {
    return frameFunction[frameIndex];
  }

  /** 1-based line of a frame (0 when unknown). */
  public int frameLine(int frameIndex) {
    return frameLine[frameIndex];
  }

  /** Module owning a frame's file, or null. */
  public String frameModule(int frameIndex) {
    return frameModule[frameIndex];
  }

  /**
   * The sampled calls during imports that are use, by the module called: for each module whose function (not its
   * module body) was on an import-phase sample's stack called by code of another file while app code, not a
   * library's import, was running, the modules of those callers, sorted ({@code openpyxl.reader.excel} → {@code
   * [handler]} for the app's module-level {@code TARIFFS = load_tariffs()}, and {@code openpyxl.styles.stylesheet}
   * → {@code [openpyxl.reader.excel]} below it).
   *
   * <ul>
   *   <li>The caller is the nearest frame up the stack that is neither the import machinery, nor the standard
   *       library, nor code of no module: {@code functools.cached_property} or an {@code enum} metaclass calling
   *       back into a library, or code {@code exec} made, pass the call on from whoever called them.
   *   <li>The call is use only when the innermost module body at or above the caller is the app's ({@code
   *       isAppFile}): a library's module body calling its dependency while it is imported (heartpy's plotting
   *       module configuring matplotlib, pandas' decorators run by its class bodies, a module imported during a
   *       handler call) is what importing it costs.
   * </ul>
   * Samples of all cold starts are merged here: which cold starts had such a call is each cold start's {@code
   * importPhaseCallSamples}.
   *
   * @param isAppFile whether a recorded path is one of the app's own files
   */
  public Map<String, SortedSet<String>> importPhaseCallers(Predicate<String> isAppFile) {
    int nodes = parent.length;
    boolean[] inAppCode = new boolean[nodes];
    for (int node = 1; node < nodes; node++) {
      int f = frame[node];
      inAppCode[node] = frameFunction[f].equals(MODULE_BODY)
          ? frameFile[f] != null && isAppFile.test(frameFile[f]) : inAppCode[parent[node]];
    }
    Map<String, SortedSet<String>> callers = new HashMap<>();
    for (int node = 1; node < nodes; node++) {
      int callee = frame[node];
      String module = frameModule[callee];
      // A function at the bottom of a stack (a thread's entry point) has no caller to be use by.
      if (parent[node] == 0 || importInclusive[node] == 0 || module == null
          || frameFunction[callee].equals(MODULE_BODY) || isMachinery(callee) || isStandardLibrary(callee)
          || isMachinery(frame[parent[node]])) {
        continue;
      }
      int caller = parent[node];
      while (caller > 0 && (isMachinery(frame[caller]) || isStandardLibrary(frame[caller])
          || frameModule[frame[caller]] == null)) {
        caller = parent[caller];
      }
      if (caller > 0 && inAppCode[caller] && !Objects.equals(frameFile[frame[caller]], frameFile[callee])) {
        callers.computeIfAbsent(module, m -> new TreeSet<>()).add(frameModule[frame[caller]]);
      }
    }
    return callers;
  }

  private boolean isMachinery(int frameIndex) {
    return frameFile[frameIndex] != null
        && PickleProfileReader.isImportMachinery(frameFile[frameIndex], frameFunction[frameIndex]);
  }

  private boolean isStandardLibrary(int frameIndex) {
    return frameFile[frameIndex] != null && PathMapper.isStandardLibrary(frameFile[frameIndex]);
  }

  /** A readable rendering of a frame, e.g. {@code /var/task/handler.py:12 handler}. */
  public String describeFrame(int frameIndex) {
    return Objects.toString(frameFile[frameIndex], "?") + ":" + frameLine[frameIndex] + " " + frameFunction[frameIndex];
  }
}
