package dev.coldspy.engine;

import java.util.List;
import java.util.Optional;

/**
 * A mechanical rewrite from the knowledge file that the fix engine may apply ({@code FixKind.REPLACE}).
 *
 * <p>{@link Kind#MODULE}: every import of the entry's module (and its submodules) is re-pointed at {@link
 * #to()}, keeping the names it binds ({@code import m} becomes {@code import to as m}, {@code from m.x
 * import n} becomes {@code from to.x import n}).
 *
 * <p>{@link Kind#EXPRESSION}: {@link #match()} is a Python expression written with the fully qualified name
 * of the library and {@code {placeholders}}, each matching one argument expression; occurrences are
 * replaced by {@link #replace()} with the placeholders filled in, and {@link #imports()} are added.
 *
 * @param kind the kind of rewrite
 * @param to the replacement module ({@link Kind#MODULE}), else empty
 * @param match the expression pattern ({@link Kind#EXPRESSION}), else empty
 * @param replace the replacement expression ({@link Kind#EXPRESSION}), else empty
 * @param imports modules the replacement needs imported ({@link Kind#EXPRESSION})
 * @param minPython lowest target Python version the rewrite is valid for, e.g. "3.9"
 * @param caveat a behaviour difference the user accepts with the fix
 */
public record Rewrite(
    Kind kind,
    String to,
    String match,
    String replace,
    List<String> imports,
    Optional<PythonVersion> minPython,
    Optional<String> caveat) {

  /** The two forms of rewrite. */
  public enum Kind {
    MODULE,
    EXPRESSION
  }

  public Rewrite {
    imports = List.copyOf(imports);
  }

  /** True when the rewrite is valid for code that must run on {@code target}. */
  public boolean validFor(PythonVersion target) {
    return minPython.map(min -> target.compareTo(min) >= 0).orElse(true);
  }
}
