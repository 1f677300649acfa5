package dev.coldspy.engine;

import java.util.List;

/**
 * Everything the classifier looks at for one import statement; the engine gathers it from the profiles and
 * the source, the classifier turns it into a verdict. Kept apart so the rules can be read and tested alone.
 *
 * @param subject what the statement loads, for messages ({@code pandas}, {@code rich.console})
 * @param costUs median over cold starts of the import time the statement paid (what it loaded first)
 * @param costP90Us 90th percentile of the same
 * @param usage execution-phase use of the statement's modules
 * @param staticUse what the source code says about the bound names
 * @param hits knowledge-file entries covering modules the statement loaded, heaviest first
 * @param useSite where the code uses the module, from the call paths or the scope model ({@code
 *     handler.py:15}), or null when unknown
 * @param origin what kind of code the statement's modules are, which decides whether their use can be seen
 */
public record StatementFacts(
    String subject,
    double costUs,
    double costP90Us,
    UsageEvidence usage,
    StaticUse staticUse,
    List<KnowledgeHit> hits,
    String useSite,
    Origin origin) {

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
  }
}
