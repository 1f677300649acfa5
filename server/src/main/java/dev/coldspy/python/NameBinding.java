package dev.coldspy.python;

import dev.coldspy.text.Span;

/**
 * A statement that (re)binds or deletes a module-level name: an assignment, {@code del}, definition, loop
 * or with target at module level, another import of the name, or a store in a function after
 * {@code global name}.
 *
 * @param name the name
 * @param span the identifier
 * @param kind what binds it
 * @param function the function holding a {@code global} store, else null
 */
public record NameBinding(String name, Span span, Kind kind, EnclosingScope function) {
  public enum Kind {
    ASSIGNMENT,
    AUGMENTED_ASSIGNMENT,
    DELETE,
    DEFINITION,
    IMPORT,
    GLOBAL_DECLARATION
  }
}
