package dev.coldspy.rules;

/** The kinds of source change the fix engine can plan for an import statement. */
public enum FixKind {
  /** Move the import into every function that uses its names, just before the first use. */
  LAZY_LOAD("lazy-load this import"),
  /** Delete an import whose names are never referenced. */
  REMOVE("remove this unused import"),
  /** Move an import whose names are used only in annotations under {@code if TYPE_CHECKING:}. */
  TYPE_CHECKING_GUARD("import only for type checking"),
  /** PEP 810 lazy imports through the module's {@code __lazy_modules__} (Python 3.15+, module level only). */
  PEP810_LAZY("use PEP 810 lazy imports (__lazy_modules__)"),
  /** Rewrite to a lighter library where the knowledge file carries a mechanical rewrite. */
  REPLACE("replace with a lighter library"),
  /**
   * In a vendored library's package {@code __init__.py}, turn {@code from .sub import names} into a PEP 562
   * module {@code __getattr__} that imports on first access. Planned only by {@code coldspy fix --vendored} on
   * the library's own line of an unused part, never on an application's statement.
   */
  LAZY_REEXPORT("defer this re-export to first access (PEP 562)");

  private final String title;

  FixKind(String title) {
    this.title = title;
  }

  /** The title a user sees on the quick-fix. */
  public String title() {
    return title;
  }

  /** Whether this kind of fix can apply to a statement in {@code situation} at all. */
  public boolean appliesTo(FixSituation situation) {
    return switch (this) {
      // A feature the function does not need goes even when referenced, as long as nothing needs it at import.
      case REMOVE -> situation.namesUnreferenced()
          || (situation.rule() == RuleCode.FEATURE_REDUNDANCY && !situation.namesUsedAtImportTime());
      case LAZY_LOAD -> situation.moduleLevel() && !situation.namesUsedAtImportTime()
          && !situation.namesUnreferenced();
      case PEP810_LAZY -> situation.moduleLevel() && situation.pep810Available();
      case TYPE_CHECKING_GUARD -> situation.namesOnlyInAnnotations();
      case REPLACE -> situation.rewriteAvailable();
      case LAZY_REEXPORT -> false;
    };
  }
}
