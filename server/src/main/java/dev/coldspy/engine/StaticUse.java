package dev.coldspy.engine;

/** What the source code (not the profile) says about the names an import statement binds. */
public enum StaticUse {
  /** No reference to any bound name: the import only matters for its side effects, if any. */
  UNREFERENCED,
  /** Every reference is inside an annotation that is not evaluated at run time. */
  ANNOTATIONS_ONLY,
  /** Referenced only inside function bodies: a lazy import in those functions keeps the code working. */
  FUNCTIONS_ONLY,
  /** Referenced by code that runs at import time (module level, decorators, base classes, defaults). */
  MODULE_LEVEL,
  /** The scope model could not tell (star import, {@code __all__} re-export, dynamic access, no source). */
  UNKNOWN
}
