package dev.coldspy.rules;

/**
 * What decides whether a fix kind can apply to a finding's statement at all ({@link FixKind#appliesTo}); the
 * fix engine still decides whether it is safe.
 *
 * @param rule the finding's rule
 * @param moduleLevel the statement runs when its module is imported (not inside a function)
 * @param namesUnreferenced no code refers to the names it binds
 * @param namesUsedAtImportTime code that runs at import time uses its names
 * @param namesOnlyInAnnotations its names appear only in annotations
 * @param pep810Available the target Python has PEP 810 {@code lazy import}
 * @param rewriteAvailable the knowledge file has a rewrite to a lighter library valid for the target Python
 */
public record FixSituation(
    RuleCode rule,
    boolean moduleLevel,
    boolean namesUnreferenced,
    boolean namesUsedAtImportTime,
    boolean namesOnlyInAnnotations,
    boolean pep810Available,
    boolean rewriteAvailable) {}
