package dev.coldspy.engine;

import java.util.List;

/**
 * Everything the classifier looks at for one import statement; the engine gathers it from the profiles and
 * the source, the classifier turns it into a verdict. Kept apart so the rules can be read and tested alone.
 *
 * @param subject what the statement loads, for messages ({@code pandas}, {@code rich.console})
 * @param costUs median over cold starts of the import time the statement paid (what it loaded first)
 * @param costP90Us 90th percentile of the same
 * @param compiledUs median over cold starts of the part of {@code costUs} spent compiling modules from source
 *     (0 where they came from bytecode): {@link RuleCode#COMPILED_FROM_SOURCE}'s to fix, not the statement's
 * @param usage execution-phase use of the statement's modules
 * @param staticUse what the source code says about the bound names
 * @param hits knowledge-file entries covering modules the statement loaded, heaviest first
 * @param useSite where the code uses the module, from the call paths or the scope model ({@code
 *     handler.py:15}), or null when unknown
 * @param origin what kind of code the statement's modules are, which decides whether their use can be seen
 * @param importStatement false for a module-level statement that is no import (charged for what its calls
 *     imported): only the rules about what it loads apply, not those about its names' use
 * @param initUse use of the statement's modules at init, called from outside them: use, never "never used"
 * @param tree the modules the statement loaded first, each sub-tree's cost and use
 * @param unusedParts the tree's parts whose code never ran, heaviest first
 * @param remedies how unused parts inside libraries can be deferred
 */
public record StatementFacts(
    String subject,
    double costUs,
    double costP90Us,
    double compiledUs,
    UsageEvidence usage,
    StaticUse staticUse,
    List<KnowledgeHit> hits,
    String useSite,
    Origin origin,
    boolean importStatement,
    ModuleRuns.InitUse initUse,
    ImportTree tree,
    List<UnusedPart> unusedParts,
    UnusedPartRule.Remedies remedies) {

  /** What kind of code an import statement loads. */
  public enum Origin {
    /** Python source of a third-party library or of the application: its running code is seen. */
    PYTHON,
    /**
     * The standard library: much of it delegates to C functions (hashlib.sha256, json's speedups) that
     * neither samples nor the usage signal see, so "not seen running" says little; it is also often shared
     * with the libraries the app uses, so lazy-loading it rarely saves anything.
     */
    STANDARD_LIBRARY,
    /** Only compiled extension modules: their functions never show in samples or the usage signal. */
    NATIVE
  }
  public StatementFacts {
    hits = List.copyOf(hits);
    unusedParts = List.copyOf(unusedParts);
  }

  /** An import statement judged without its import tree: no use at init, no unused parts. */
  public StatementFacts(String subject, double costUs, double costP90Us, UsageEvidence usage, StaticUse staticUse,
      List<KnowledgeHit> hits, String useSite, Origin origin) {
    this(subject, costUs, costP90Us, 0, usage, staticUse, hits, useSite, origin, true, ModuleRuns.InitUse.NONE,
        ImportTree.EMPTY, List.of(), UnusedPartRule.Remedies.MANUAL);
  }

  /**
   * The share of the statement's cost that stays once its modules come from bytecode: whether a statement is
   * worth a finding must not depend on how the deployment was packaged (compiling is reported apart).
   */
  public double loadedFromBytecodeShare() {
    return costUs <= 0 ? 1 : Math.max(0, costUs - compiledUs) / costUs;
  }
}
