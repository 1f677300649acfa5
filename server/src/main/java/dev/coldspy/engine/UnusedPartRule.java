package dev.coldspy.engine;

import dev.coldspy.profile.PathMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The rule for an unused part of a used library: the statement's library runs, but below it the statement
 * loads sub-trees of modules none of whose code ever ran and that each cost at least {@code min-ms} (a graph
 * library whose {@code __init__} imports its drawing sub-package, which pulls in matplotlib, while no request
 * draws). Pure and deterministic.
 *
 * <p>A culprit is the largest such sub-tree: its parent's code ran, so it is the package the library's line
 * imports ({@code igraph.drawing}), never a leaf inside it. Only a part that brings in another library (a
 * module of another top-level package than the importing library's, outside the standard library) or that the
 * knowledge file knows a lighter way for is a culprit: a part inside the library's own package is its own
 * layout (numpy's sub-packages, a codec table read without a call that no profile sees), listed in the
 * statement's breakdown but no finding. It is reported only when "never ran" is firm (an
 * exact usage signal, or dense samples) and can be seen at all: a sub-tree of compiled extensions only, or of
 * the standard library (which delegates to C that neither samples nor the signal see), is never one. The
 * estimated saving is the cost of the culprits less what of them code that stays imports too ({@link
 * LoadedAnyway}): deferring the import at the library's line avoids the rest on every cold start, as none ever
 * ran it.
 */
final class UnusedPartRule {
  /**
   * How the culprits can be deferred, besides the manual options that are always named.
   *
   * @param vendored whether a library line ships in the function's own folder, where {@code coldspy fix
   *     --vendored} may defer the import
   * @param lazyImportsFilter the target Python has PEP 810: a bootstrap module imported first can make the
   *     culprits lazy through the lazy-imports filter
   */
  record Remedies(Predicate<LibraryLine> vendored, boolean lazyImportsFilter) {
    static final Remedies MANUAL = new Remedies(line -> false, false);
  }

  /**
   * The rule's finding for one statement.
   *
   * @param culprits the unused parts it reports, heaviest first
   * @param savingUs their summed cost per cold start
   * @param savingFormula how the saving was computed
   * @param detail the message after the pattern's name: cost, culprit, chain, evidence, advice, saving
   */
  record Outcome(List<UnusedPart> culprits, double savingUs, String savingFormula, String detail) {
    Outcome {
      culprits = List.copyOf(culprits);
    }
  }

  private static final String ARROW = " → ";
  private static final int NAMED_OTHERS = 3;

  private UnusedPartRule() {}

  /**
   * A statement's unused parts below code that ran, heaviest first: sub-trees a profile could see running
   * (Python code, not the standard library) none of whose code ran in any cold start.
   *
   * @param appRoot the profile's recorded app root, or null (shortens vendored libraries' paths)
   * @param knowledge where a lighter way may be known for a module of a part
   * @param anyway what of a part other code imports too
   */
  static List<UnusedPart> parts(ImportTree tree, String appRoot, Knowledge knowledge, LoadedAnyway anyway) {
    List<UnusedPart> parts = new ArrayList<>();
    for (ImportTree.Unused unused : tree.unused()) {
      ImportTree.Node node = unused.node();
      if (unused.isRoot() || (node.file() != null && PathMapper.isStandardLibrary(node.file()))) {
        continue;
      }
      LibraryLine line = node.trigger() == null ? null : LibraryLine.of(node.trigger(), appRoot);
      String importer = unused.ancestors().get(unused.ancestors().size() - 1);
      SortedSet<String> bringsIn = new TreeSet<>();
      otherLibraries(node, ImportTree.topLevel(importer), bringsIn);
      LibraryEntry entry = knowledgeOf(node, importer, bringsIn, knowledge);
      // What a known lighter way saves does not depend on who imports the part's root: leaving an optional
      // dependency out of the package avoids it for every importer (lightgbm.compat imports pandas only when it
      // can; other lightgbm modules import lightgbm.compat too).
      parts.add(new UnusedPart(node.module(), node.costUs(), node.moduleCount(), line, chain(unused, line), entry,
          List.copyOf(bringsIn), entry != null ? List.of() : anyway.in(node, importer,
              node.trigger() == null ? List.of() : List.of(node.trigger()), List.of(), Set.of())));
    }
    // By what deferring saves: a statement keeps only its heaviest few, and a part other code loads anyway must
    // not push out one that saves (the order is the cost's where nothing loads anyway)
    parts.sort(Comparator.comparingDouble(UnusedPart::savingUs).reversed());
    return List.copyOf(parts);
  }

  /**
   * The finding for a statement, or empty when its library never runs (the usage rules speak then), the
   * evidence is thin, or no unused part costs {@code min-ms}.
   *
   * @param subject what the statement loads, for messages
   * @param costUs the statement's median cost per cold start
   * @param costP90Us its 90th percentile
   * @param tree the modules the statement loaded first
   * @param parts the tree's unused parts ({@link #parts})
   * @param usage the profile set's usage evidence for the statement (says whether "never ran" is firm)
   * @param initUse how the statement's modules were used at init (named when that is their only use)
   */
  static Optional<Outcome> evaluate(String subject, double costUs, double costP90Us, ImportTree tree,
      List<UnusedPart> parts, UsageEvidence usage, ModuleRuns.InitUse initUse, EngineSettings settings,
      Remedies remedies) {
    if (!tree.anyRan() || !usage.known() || !usage.conclusive(settings.denseSamplesPerColdStart())) {
      return Optional.empty();
    }
    double minUs = settings.minMs() * 1000;
    List<UnusedPart> culprits = parts.stream()
        .filter(part -> part.reportable() && part.savingUs() >= minUs && !settings.ignores(part.module()))
        .toList();
    if (culprits.isEmpty()) {
      return Optional.empty();
    }
    double savingUs = 0;
    for (UnusedPart culprit : culprits) {
      savingUs += culprit.savingUs();
    }
    boolean anyElsewhere = culprits.stream().anyMatch(part -> !part.importedElsewhere().isEmpty());
    String formula = (culprits.size() == 1
        ? "the import time of " + culprits.get(0).module() + ", which never ran"
        : "the import time of the " + culprits.size() + " unused parts, which never ran")
        + (anyElsewhere ? ", less what other code imports too" : "");
    boolean initOnly = tree.roots().stream().filter(ImportTree.Node::ran).allMatch(ImportTree.Node::ranOnlyAtInit);
    return Optional.of(new Outcome(culprits, savingUs, formula,
        detail(subject, costUs, costP90Us, culprits, usage, initOnly ? initUse : null, remedies, savingUs, formula)));
  }

  /**
   * Adds the top-level packages of the sub-tree's modules other than {@code ownPackage}, leaving out the
   * standard library and modules without a file (built-in, frozen, namespace packages).
   */
  private static void otherLibraries(ImportTree.Node node, String ownPackage, SortedSet<String> found) {
    String topLevel = ImportTree.topLevel(node.module());
    if (node.file() != null && !PathMapper.isStandardLibrary(node.file()) && !topLevel.equals(ownPackage)) {
      found.add(topLevel);
    }
    for (ImportTree.Node child : node.children()) {
      otherLibraries(child, ownPackage, found);
    }
  }

  /**
   * What the knowledge file knows about the part: for the first module on its heaviest path (its root first),
   * an optional-dependency entry of the importing library, else a library entry that holds for every use (one
   * that holds only for a light use by the app says nothing about a part that never ran); failing those, an
   * optional-dependency entry of the importing library for another library the part brings in (pypdf's
   * provider module brings in cryptography). A library entry is not looked up for what the part brings in
   * deeper down: six or tqdm loaded somewhere below matplotlib say nothing about matplotlib.
   *
   * @param importer the module whose code ran and imported the part
   */
  private static LibraryEntry knowledgeOf(ImportTree.Node node, String importer, SortedSet<String> bringsIn,
      Knowledge knowledge) {
    for (String module : node.heavyPath()) {
      Optional<LibraryEntry> dependency = knowledge.optionalDependencyFor(module, importer);
      if (dependency.isPresent()) {
        return dependency.get();
      }
      Optional<LibraryEntry> entry = knowledge.entryFor(module);
      if (entry.isPresent() && entry.get().applies() == LibraryEntry.Applies.ALWAYS) {
        return entry.get();
      }
    }
    for (String library : bringsIn) {
      Optional<LibraryEntry> dependency = knowledge.optionalDependencyFor(library, importer);
      if (dependency.isPresent()) {
        return dependency.get();
      }
    }
    return null;
  }

  private static String chain(ImportTree.Unused unused, LibraryLine line) {
    List<String> steps = new ArrayList<>();
    if (line != null) {
      steps.add(line.location());
    } else {
      steps.addAll(unused.ancestors());
    }
    steps.addAll(unused.node().heavyPath());
    return String.join(ARROW, steps);
  }

  /** @param initOnly the statement's use when its code ran at init only, else null */
  private static String detail(String subject, double costUs, double costP90Us, List<UnusedPart> culprits,
      UsageEvidence usage, ModuleRuns.InitUse initOnly, Remedies remedies, double savingUs, String formula) {
    UnusedPart first = culprits.get(0);
    StringBuilder text = new StringBuilder();
    text.append(subject).append(" costs ").append(Units.ms(costUs)).append(" per cold start (p90 ")
        .append(Units.ms(costP90Us)).append(')');
    if (initOnly != null) {
      text.append(", used at init only").append(initOnly.callers().isEmpty() ? ""
          : " (by " + String.join(", ", initOnly.callers()) + ")");
    }
    text.append("; ").append(Units.ms(first.costUs())).append(" of it loads ").append(first.module()).append(" (")
        .append(modules(first.moduleCount())).append(": ").append(first.chain())
        .append(first.bringsIn().isEmpty() ? "" : "; brings in " + names(first.bringsIn()))
        .append("), whose code never ran ")
        .append(evidence(usage))
        .append(importedElsewhere(first));
    if (culprits.size() > 1) {
      List<String> others = new ArrayList<>();
      for (UnusedPart other : culprits.subList(1, Math.min(culprits.size(), 1 + NAMED_OTHERS))) {
        others.add(other.module() + " " + Units.ms(other.savingUs()));
      }
      int unnamed = culprits.size() - 1 - others.size();
      text.append("; also never ran: ").append(String.join(", ", others))
          .append(unnamed > 0 ? " and " + unnamed + " more" : "");
    }
    text.append("; ").append(advice(first, remedies)).append("; saves ~").append(Units.ms(savingUs))
        .append(" per cold start (").append(formula).append(')');
    return text.toString();
  }

  /**
   * "; of that, typing_extensions (3.1 ms) loads anyway: pydantic.main imports it too", naming the heaviest sub-tree
   * that code which stays imports, or nothing when none.
   */
  private static String importedElsewhere(UnusedPart part) {
    if (part.importedElsewhere().isEmpty()) {
      return "";
    }
    return "; of that, " + LoadedAnyway.describe(part.importedElsewhere(), part.costUs() - part.savingUs());
  }

  /** "matplotlib, numpy", "pandas, pyarrow, pytz and 2 more" */
  private static String names(List<String> libraries) {
    String named = String.join(", ", libraries.subList(0, Math.min(libraries.size(), NAMED_OTHERS)));
    return libraries.size() > NAMED_OTHERS ? named + " and " + (libraries.size() - NAMED_OTHERS) + " more" : named;
  }

  private static String modules(int count) {
    return count == 1 ? "1 module" : Units.count(count) + " modules";
  }

  /** "in 10 cold starts (exact usage signal, 30 invocations)", "in 10 cold starts (0 of 5,000 execution samples)" */
  private static String evidence(UsageEvidence usage) {
    String coldStarts = "in " + usage.coldStarts() + (usage.coldStarts() == 1 ? " cold start" : " cold starts");
    if (usage.exact()) {
      return coldStarts + " (exact usage signal"
          + (usage.invocationsObserved() > 0 ? ", " + Units.count(usage.invocationsObserved()) + " invocations" : "")
          + ")";
    }
    return coldStarts + " (0 of " + Units.count(usage.totalSamples()) + " execution samples)";
  }

  /** Never silence: the automatic remedy where there is one, and always the manual options naming the line. */
  private static String advice(UnusedPart culprit, Remedies remedies) {
    String where = culprit.libraryLine() == null ? "in the library's own code" : "at " + culprit.libraryLine().location();
    List<String> options = new ArrayList<>();
    if (culprit.libraryLine() != null && remedies.vendored().test(culprit.libraryLine())) {
      options.add("`coldspy fix --vendored` defers it " + where + " (the library ships in the function's folder)");
    }
    if (remedies.lazyImportsFilter()) {
      options.add("a bootstrap module the handler imports first can make it lazy with PEP 810's lazy-imports"
          + " filter");
    }
    String manual = "vendor the library and defer that import, ask its maintainers to import it lazily, or use a"
        + " library without it";
    LibraryEntry entry = culprit.knowledge();
    if (entry != null) {
      // a lighter way the knowledge file knows, with where that knowledge comes from
      options.add(0, "known for " + entry.subject() + ": " + entry.advice() + " (" + entry.sources().get(0) + ")");
    }
    if (options.isEmpty()) {
      return "the import is " + where + ": " + manual;
    }
    return String.join("; ", options) + "; else " + manual;
  }
}
