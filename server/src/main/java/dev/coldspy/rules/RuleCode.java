package dev.coldspy.rules;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every finding ColdSpy reports has one of these codes. The same codes appear in the CLI, SARIF, the
 * language server and {@code # noqa: CSxxx} comments. Each code knows its pattern name, the message
 * template the engine fills in, and which fixes may apply (the fix engine still decides whether each is safe).
 */
public enum RuleCode {
  /** Thesis 3.1: imported at start-up, never used in any profiled invocation. */
  NEVER_USED(
      "CS101",
      "never-used",
      "never used",
      EnumSet.of(FixKind.REMOVE, FixKind.LAZY_LOAD, FixKind.PEP810_LAZY)),
  /** Thesis 3.2: used in a minority of cold starts, typically behind an input-dependent branch. */
  RARELY_USED(
      "CS102",
      "rarely-used",
      "rarely used",
      EnumSet.of(FixKind.LAZY_LOAD, FixKind.PEP810_LAZY)),
  /** Thesis 3.3: serves a feature a serverless function does not need (progress bars, colour, consoles). */
  FEATURE_REDUNDANCY(
      "CS103",
      "feature-redundancy",
      "feature redundancy",
      EnumSet.of(FixKind.LAZY_LOAD, FixKind.PEP810_LAZY, FixKind.REMOVE)),
  /** Thesis 3.4: a lighter equivalent library exists. */
  LIBRARY_CHOICE(
      "CS104",
      "library-choice",
      "library choice",
      EnumSet.of(FixKind.REPLACE, FixKind.LAZY_LOAD, FixKind.PEP810_LAZY)),
  /** Names used only in annotations: the import is paid at start-up for the type checker's sake. */
  TYPING_ONLY(
      "CS105",
      "typing-only",
      "used only for typing",
      EnumSet.of(FixKind.TYPE_CHECKING_GUARD, FixKind.LAZY_LOAD)),
  /** A costly import whose usage the profile cannot tell (e.g. an {@code -X importtime} log has no samples). */
  USAGE_UNKNOWN(
      "CS110",
      "usage-unknown",
      "costly import, usage unknown",
      EnumSet.of(FixKind.PEP810_LAZY));

  private final String code;
  private final String slug;
  private final String pattern;
  private final Set<FixKind> fixes;

  RuleCode(String code, String slug, String pattern, Set<FixKind> fixes) {
    this.code = code;
    this.slug = slug;
    this.pattern = pattern;
    this.fixes = fixes;
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

  /** The fixes that may apply to findings of this code, in order of preference. */
  public Set<FixKind> fixes() {
    return EnumSet.copyOf(fixes);
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
