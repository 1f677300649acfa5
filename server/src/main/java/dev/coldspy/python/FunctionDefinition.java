package dev.coldspy.python;

/**
 * A {@code def} of a module, named as CPython 3.11+ names its code object ({@code co_qualname}), which is what
 * profiled stack frames record.
 *
 * @param qualifiedName e.g. {@code Rule.check} or {@code handler.<locals>.retry}
 * @param firstLine 0-based line of the {@code def} keyword (decorators excluded)
 * @param lastLine 0-based last line of its body
 */
public record FunctionDefinition(String qualifiedName, int firstLine, int lastLine) {
  /** The plain name ({@code co_name}, what frames of Python before 3.11 record). */
  public String name() {
    return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
  }
}
