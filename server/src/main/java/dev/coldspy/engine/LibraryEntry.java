package dev.coldspy.engine;

import dev.coldspy.rules.RuleCode;
import java.util.List;

/**
 * One entry of the knowledge file: a library (and its submodules) whose import a serverless function can
 * usually avoid, or an optional dependency a library imports whenever it is installed, the pattern it belongs
 * to, what to do about it and where that knowledge comes from.
 *
 * @param module top-level or dotted module name; matches the module and its submodules
 * @param importedBy for an optional dependency, the library that imports it (matching its submodules); null for
 *     a library entry
 * @param rule {@link RuleCode#FEATURE_REDUNDANCY} or {@link RuleCode#LIBRARY_CHOICE} for a library entry,
 *     {@link RuleCode#UNUSED_PART} for an optional dependency
 * @param what the feature the library serves (feature redundancy, optional dependency) or the lighter
 *     replacement (library choice)
 * @param applies when the entry holds (library choice only; feature redundancy always holds)
 * @param advice one sentence: what to do
 * @param sources where the knowledge comes from (PEP, documentation, changelog, thesis section)
 * @param rewrites mechanical rewrites the fix engine may apply, possibly none
 */
public record LibraryEntry(
    String module,
    String importedBy,
    RuleCode rule,
    String what,
    Applies applies,
    String advice,
    List<String> sources,
    List<Rewrite> rewrites) {

  /** When a knowledge entry holds. */
  public enum Applies {
    /** For every use of the library (a backport, a deprecated module, a terminal-only feature). */
    ALWAYS,
    /**
     * Only when the application uses little of the library: the time measured running its code per cold
     * start is small next to its import cost.
     */
    LIGHT_USE
  }

  public LibraryEntry {
    sources = List.copyOf(sources);
    rewrites = List.copyOf(rewrites);
  }

  /** True when {@code moduleName} is this entry's module or one of its submodules. */
  public boolean covers(String moduleName) {
    return isWithin(moduleName, module);
  }

  /** What the entry is about, as messages name it: {@code rich}, {@code pypdf → cryptography}. */
  public String subject() {
    return importedBy == null ? module : importedBy + " → " + module;
  }

  /** True when {@code moduleName} is {@code packageName} or one of its submodules. */
  static boolean isWithin(String moduleName, String packageName) {
    return moduleName.equals(packageName) || moduleName.startsWith(packageName + ".");
  }
}
