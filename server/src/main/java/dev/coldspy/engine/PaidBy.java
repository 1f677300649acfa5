package dev.coldspy.engine;

/**
 * A module an import statement names that an earlier statement had already loaded: the statement costs
 * nothing for it, and fixing it alone saves nothing.
 *
 * @param module the module
 * @param file display path of the statement that paid
 * @param oneBasedLine its 1-based line
 */
public record PaidBy(String module, String file, int oneBasedLine) {
  /** {@code handler.py:2} */
  public String location() {
    return file + ":" + oneBasedLine;
  }
}
