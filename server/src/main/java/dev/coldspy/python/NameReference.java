package dev.coldspy.python;

import dev.coldspy.text.Span;
import java.util.List;

/**
 * A use of a module-level name: a load that resolves to the module's global binding (not shadowed by a
 * local, parameter, class attribute, ...), a name in a string annotation, or an {@code __all__} entry.
 *
 * @param name the name
 * @param span the identifier (or the name inside the string)
 * @param evaluation what kind of expression holds it
 * @param atImportTime whether it is evaluated while the module is imported (module body, module-level class
 *     bodies, decorators/defaults/bases/evaluated annotations of module-level definitions; none of these in
 *     the {@code mainBlock})
 * @param function the innermost function whose frame evaluates it (lambdas, comprehensions and class bodies
 *     nested in a function count for that function), or null when no function encloses it
 * @param mainBlock the module-level {@code if __name__ == "__main__":} statement whose body holds it (at any
 *     depth, functions included), or null: that body runs only when the file is run as a script, never when
 *     it is imported
 * @param path the statement nesting, innermost first, up to and including the module's statement
 * @param annotationInspected for annotations: the definition they belong to is decorated, or is a class with
 *     bases or decorators, so a library may read the annotation at runtime (dataclasses, pydantic, FastAPI,
 *     {@code functools.singledispatch})
 * @param inSyntaxError inside or next to a syntax error: the tree there is not trustworthy
 */
public record NameReference(
    String name,
    Span span,
    Evaluation evaluation,
    boolean atImportTime,
    EnclosingScope function,
    Span mainBlock,
    List<StatementStep> path,
    boolean annotationInspected,
    boolean inSyntaxError) {

  /** Whether the reference runs only when a function is called (and a function exists to host an import). */
  public boolean isInFunction() {
    return function != null && !atImportTime;
  }
}
