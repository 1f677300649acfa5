package dev.coldspy.profile;

/** Call trees for tests outside this package (CallTree's constructor belongs to the profile readers). */
public final class TestCallTrees {
  private TestCallTrees() {}

  /** The root and one frame, {@code function} of {@code module} in {@code file}, with execution-phase samples. */
  public static CallTree oneFrame(String file, String function, String module, int executionSamples) {
    return new CallTree(new String[] {file}, new String[] {function}, new int[] {1}, new String[] {module},
        new int[] {-1, 0}, new int[] {-1, 0}, new int[] {0, 0}, new int[] {0, executionSamples});
  }
}
