package dev.coldspy.python;

/** The kinds of Python scope a statement can sit in. */
public enum ScopeKind {
  MODULE,
  CLASS,
  FUNCTION
}
