package dev.coldspy.engine;

/**
 * A place in the application's code that uses a module, from the sampled call paths.
 *
 * @param file display path of the application file
 * @param oneBasedLine 1-based line of the call
 * @param function the enclosing function ({@code <module>} for top-level code)
 * @param samples execution-phase samples spent in the module below this call
 */
public record UseSite(String file, int oneBasedLine, String function, long samples) {
  /** {@code handler.py:15} */
  public String location() {
    return file + ":" + oneBasedLine;
  }
}
