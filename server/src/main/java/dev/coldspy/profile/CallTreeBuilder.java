package dev.coldspy.profile;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link CallTree} path by path: equal frames are stored once, and a child frame under the same
 * parent is the same node. Nodes are numbered in creation order, so parents always precede children.
 */
final class CallTreeBuilder {
  private record FrameKey(String file, String function, int line, String module) {}

  private final Map<FrameKey, Integer> frameIds = new HashMap<>();
  private final LongIntMap childIds = new LongIntMap(1024);
  private String[] frameFile = new String[64];
  private String[] frameFunction = new String[64];
  private int[] frameLine = new int[64];
  private String[] frameModule = new String[64];
  private int frames;

  private int[] parent = new int[64];
  private int[] frame = new int[64];
  private int[] importSelf = new int[64];
  private int[] executionSelf = new int[64];
  private int nodes = 1;

  CallTreeBuilder() {
    parent[0] = -1;
    frame[0] = -1;
  }

  /** The index of this frame, adding it when new. */
  int frame(String file, String function, int line, String module) {
    FrameKey key = new FrameKey(file, function, line, module);
    Integer known = frameIds.get(key);
    if (known != null) {
      return known;
    }
    if (frames == frameFile.length) {
      int size = frames * 2;
      frameFile = Arrays.copyOf(frameFile, size);
      frameFunction = Arrays.copyOf(frameFunction, size);
      frameLine = Arrays.copyOf(frameLine, size);
      frameModule = Arrays.copyOf(frameModule, size);
    }
    frameFile[frames] = file;
    frameFunction[frames] = function;
    frameLine[frames] = line;
    frameModule[frames] = module;
    frameIds.put(key, frames);
    return frames++;
  }

  /** The node for {@code frameIndex} under {@code parentNode}, adding it when new. */
  int child(int parentNode, int frameIndex) {
    long key = ((long) parentNode << 32) | (frameIndex & 0xffffffffL);
    int known = childIds.get(key);
    if (known >= 0) {
      return known;
    }
    if (nodes == parent.length) {
      int size = nodes * 2;
      parent = Arrays.copyOf(parent, size);
      frame = Arrays.copyOf(frame, size);
      importSelf = Arrays.copyOf(importSelf, size);
      executionSelf = Arrays.copyOf(executionSelf, size);
    }
    parent[nodes] = parentNode;
    frame[nodes] = frameIndex;
    childIds.put(key, nodes);
    return nodes++;
  }

  /**
   * Adds self samples to a node, saturating at {@link Integer#MAX_VALUE}: merging absurd counts from several
   * profiles must not overflow (inclusive counts are longs, so the saturated counts still add up).
   */
  void addSamples(int node, int importSamples, int executionSamples) {
    importSelf[node] = (int) Math.min(Integer.MAX_VALUE, (long) importSelf[node] + importSamples);
    executionSelf[node] = (int) Math.min(Integer.MAX_VALUE, (long) executionSelf[node] + executionSamples);
  }

  CallTree build() {
    return new CallTree(Arrays.copyOf(frameFile, frames), Arrays.copyOf(frameFunction, frames),
        Arrays.copyOf(frameLine, frames), Arrays.copyOf(frameModule, frames),
        Arrays.copyOf(parent, nodes), Arrays.copyOf(frame, nodes),
        Arrays.copyOf(importSelf, nodes), Arrays.copyOf(executionSelf, nodes));
  }
}
