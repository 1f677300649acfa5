package dev.coldspy.rules;

import java.util.List;
import java.util.Optional;

/**
 * Every finding ColdSpy reports has one of these codes. The same codes appear in the CLI, SARIF, the
 * language server and {@code # noqa: CSxxx} comments. Each code knows its slug, its pattern name (as messages
 * write it) and which fixes may apply, in order of preference (the fix engine still decides whether each is
 * safe; the engine writes the messages).
 */
public enum RuleCode {
  /** Thesis 3.1: imported at start-up, never used in any profiled invocation. */
  NEVER_USED(
      "CS101",
      "never-used",
      "never used",
      List.of(FixKind.REMOVE, FixKind.PEP810_LAZY, FixKind.LAZY_LOAD),
      1,
      true),
  /** Thesis 3.2: used in a minority of cold starts, typically behind an input-dependent branch. */
  RARELY_USED(
      "CS102",
      "rarely-used",
      "rarely used",
      List.of(FixKind.PEP810_LAZY, FixKind.LAZY_LOAD),
      4,
      true),
  /** Thesis 3.3: serves a feature a serverless function does not need (progress bars, colour, consoles). */
  FEATURE_REDUNDANCY(
      "CS103",
      "feature-redundancy",
      "feature redundancy",
      List.of(FixKind.REMOVE, FixKind.PEP810_LAZY, FixKind.LAZY_LOAD),
      2,
      true),
  /** Thesis 3.4: a lighter equivalent library exists. */
  LIBRARY_CHOICE(
      "CS104",
      "library-choice",
      "library choice",
      List.of(FixKind.REPLACE, FixKind.PEP810_LAZY, FixKind.LAZY_LOAD),
      3,
      true),
  /** Names used only in annotations: the import is paid at start-up for the type checker's sake. */
  TYPING_ONLY(
      "CS105",
      "typing-only",
      "used only for typing",
      List.of(FixKind.TYPE_CHECKING_GUARD, FixKind.LAZY_LOAD),
      0,
      true),
  /**
   * The library runs, but the statement loads a part of it (a sub-package and what that drags in) whose code
   * never runs: the waste is inside the library, at its own import line. No fix applies to the app's
   * statement; the message names the library's line and the options ({@code coldspy fix --vendored} for
   * libraries shipped in the function's folder, a PEP 810 bootstrap, another library).
   */
  UNUSED_PART(
      "CS106",
      "unused-library-part",
      "unused part of a used library",
      List.of(),
      5,
      true),
  /**
   * A costly import whose usage the profile cannot tell (e.g. an {@code -X importtime} log has no samples):
   * information, with no estimated saving.
   */
  USAGE_UNKNOWN(
      "CS110",
      "usage-unknown",
      "costly import, usage unknown",
      List.of(FixKind.PEP810_LAZY),
      6,
      false);

  private final String code;
  private final String slug;
  private final String pattern;
  private final List<FixKind> fixes;
  private final int precedence;
  private final boolean estimatesSaving;

  RuleCode(String code, String slug, String pattern, List<FixKind> fixes, int precedence, boolean estimatesSaving) {
    this.code = code;
    this.slug = slug;
    this.pattern = pattern;
    this.fixes = fixes;
    this.precedence = precedence;
    this.estimatesSaving = estimatesSaving;
  }

  /**
   * Which rule wins when several apply to one statement with equal evidence and saving, lowest first: the
   * pattern with the simpler fix (a guard, then removing, then dropping a feature, then another library, then
   * moving the import), the one without an estimate last.
   */
  public int precedence() {
    return precedence;
  }

  /**
   * Whether findings of the rule estimate a saving. One that does not (usage unknown) is information: not
   * held to {@code min-ms} as a saving, ranked after those that do, and not counted in the total saving.
   */
  public boolean estimatesSaving() {
    return estimatesSaving;
  }

  /** The SARIF level of the rule's findings by default: a warning, or a note when it estimates nothing. */
  public String sarifLevel() {
    return estimatesSaving ? "warning" : "note";
  }

  /** The short code, e.g. {@code CS101}. */
  public String code() {
    return code;
  }

  /** A stable kebab-case name, e.g. {@code never-used} (SARIF rule name, docs anchors). */
  public String slug() {
    return slug;
  }

  /** The pattern as written in messages, e.g. "rarely used". */
  public String pattern() {
    return pattern;
  }

  /**
   * The fixes that may apply to findings of this code, most preferred first: the one that removes the cost
   * for good (remove, replace, guard), then PEP 810 {@code lazy import} (a one-word change that keeps the
   * name at module level; only offered when the target Python has it), then moving the import into functions.
   */
  public List<FixKind> fixes() {
    return fixes;
  }

  public static Optional<RuleCode> fromCode(String code) {
    for (RuleCode rule : values()) {
      if (rule.code.equalsIgnoreCase(code)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }
}
