package dev.coldspy.python;

import dev.coldspy.text.Span;

/**
 * The innermost function or class around a statement, or the module. {@code name} and {@code span} (the whole
 * definition, decorators excluded) are null for the module.
 */
public record EnclosingScope(ScopeKind kind, String name, Span span) {
  public static final EnclosingScope MODULE = new EnclosingScope(ScopeKind.MODULE, null, null);

  public boolean isModule() {
    return kind == ScopeKind.MODULE;
  }
}
