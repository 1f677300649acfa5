package dev.coldspy.profile;

import java.util.List;

/** Merges the call trees of several profiles: equal frame paths from the root become one node. */
final class CallTreeMerger {
  private CallTreeMerger() {}

  static CallTree merge(List<Profile> profiles) {
    CallTreeBuilder builder = new CallTreeBuilder();
    for (Profile profile : profiles) {
      CallTree tree = profile.callTree();
      int[] frameMap = new int[tree.frameCount()];
      for (int f = 0; f < frameMap.length; f++) {
        frameMap[f] = builder.frame(tree.frameFile(f), tree.frameFunction(f), tree.frameLine(f), tree.frameModule(f));
      }
      int[] nodeMap = new int[tree.nodeCount()];
      nodeMap[0] = 0;
      builder.addSamples(0, tree.importSelf(0), tree.executionSelf(0));
      for (int n = 1; n < nodeMap.length; n++) {
        nodeMap[n] = builder.child(nodeMap[tree.parentOf(n)], frameMap[tree.frameOf(n)]);
        builder.addSamples(nodeMap[n], tree.importSelf(n), tree.executionSelf(n));
      }
    }
    return builder.build();
  }
}
