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
 */
public record UnusedPart(String module, double costUs, int moduleCount, LibraryLine libraryLine, String chain,
    LibraryEntry knowledge, List<String> bringsIn) {
  public UnusedPart {
    bringsIn = List.copyOf(bringsIn);
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
