package dev.coldspy.python;

/** The three import statement forms. */
public enum ImportKind {
  /** {@code import a.b as c, d} */
  IMPORT,
  /** {@code from a.b import c as d, e} (also relative and star imports) */
  FROM,
  /** {@code from __future__ import annotations} */
  FUTURE
}
