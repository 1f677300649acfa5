package dev.coldspy.python;

import dev.coldspy.text.Span;

/**
 * One name an import statement binds.
 *
 * <ul>
 *   <li>{@code import a.b} binds {@code a} to module {@code a} ({@code written} = {@code a.b});
 *   <li>{@code import a.b as c} binds {@code c} to module {@code a.b};
 *   <li>{@code from a.b import c as d} binds {@code d} to {@code a.b.c} (an attribute or submodule of
 *       {@code a.b}; {@code written} = {@code c}).
 * </ul>
 *
 * @param boundName the name bound in the enclosing scope
 * @param target the absolute dotted name the binding refers to (relative part resolved when the file's
 *     package is known, else kept with its leading dots)
 * @param written the name as written before {@code as} ({@code a.b} or {@code c})
 * @param alias the {@code as} name, or null
 * @param span the clause as written ({@code a.b as c})
 */
public record ImportedName(String boundName, String target, String written, String alias, Span span) {
  public boolean hasAlias() {
    return alias != null;
  }

  /** The clause's source form: {@code written} or {@code written as alias}. */
  public String clause() {
    return alias == null ? written : written + " as " + alias;
  }
}
