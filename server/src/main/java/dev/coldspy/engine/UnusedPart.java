package dev.coldspy.engine;

import java.util.List;

/**
 * A part of a statement's import none of whose code ever ran: the largest sub-tree below a module whose code
 * did run ({@code igraph.drawing} below {@code igraph}), with what it costs and the library line that imports
 * it.
 *
 * @param module the sub-tree's root module
 * @param costUs median over cold starts of the sub-tree's import time
 * @param moduleCount modules in the sub-tree
 * @param libraryLine the library's line that imports the root, or null when the profile does not say
 * @param chain from that line down to where the cost lies: {@code igraph/__init__.py:12 → igraph.drawing →
 *     matplotlib}
 * @param knowledge what the knowledge file knows about the part (a lighter way for a module on its heaviest
 *     path, or the importing library's optional dependency it brings in), or null
 * @param bringsIn the other libraries the part loads, sorted: top-level packages of its modules, outside the
 *     standard library, other than that of the library module importing it ({@code matplotlib} below {@code
 *     igraph.drawing}); empty for a part inside its library's own package
 * @param importedElsewhere the part's largest sub-trees that code which stays imports too ({@link
 *     LoadedAnyway}), heaviest first: deferring the part does not avoid them
 */
public record UnusedPart(String module, double costUs, int moduleCount, LibraryLine libraryLine, String chain,
    LibraryEntry knowledge, List<String> bringsIn, List<ImportedElsewhere> importedElsewhere) {
  /**
   * A sub-tree of the part that a module outside the part imports at its top, directly or through the part's
   * modules that load anyway.
   *
   * @param module the sub-tree's root
   * @param importer the module whose body imports it
   * @param costUs the sub-tree's cost ({@link ImportTree.Node#costUs()})
   * @param keptBy the module outside the part whose top-level import starts the chain that loads it ({@code
   *     handler}, whose {@code from botocore.client import BaseClient} stays, for {@code botocore.compat} that
   *     {@code botocore.docs.bcdoc.restdoc} imports)
   * @param keptThrough the module that import of {@code keptBy} loads ({@code botocore.client})
   */
  public record ImportedElsewhere(String module, String importer, double costUs, String keptBy, String keptThrough) {
    /** Imported directly by a module outside the part. */
    public ImportedElsewhere(String module, String importer, double costUs) {
      this(module, importer, costUs, importer, module);
    }
  }

  public UnusedPart {
    bringsIn = List.copyOf(bringsIn);
    importedElsewhere = List.copyOf(importedElsewhere);
  }

  /** What deferring the part's import saves per cold start: its cost less what loads anyway. */
  public double savingUs() {
    double elsewhere = 0;
    for (ImportedElsewhere sub : importedElsewhere) {
      elsewhere += sub.costUs();
    }
    return Math.max(0, costUs - elsewhere);
  }

  /**
   * True when the part is worth a finding: deferring it keeps another library out of init, or the knowledge
   * file knows a lighter way. A part inside the library's own package is the library's business (its own
   * layout, often data read without a call that no profile sees) and stays in the statement's breakdown only.
   */
  public boolean reportable() {
    return !bringsIn.isEmpty() || knowledge != null;
  }
}
