package dev.coldspy.engine;

import dev.coldspy.profile.ModuleStats;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.Trigger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which modules of a library's unused part would still load if the library's line that imports the part were
 * deferred. A profile records only the first import of each module, so a part is charged for every module it
 * loaded first, also for those that code which stays imports at module level as well: pydantic's never-run
 * {@code _migration} imported first what {@code pydantic/config.py} imports itself; a never-run part of
 * aws_lambda_powertools imported typing_extensions first, which pydantic imports at its top. Deferring the part
 * saves only the rest. Read from the modules' sources on this machine ({@link ModuleLevelImports}): a module
 * whose source is not here is taken to import nothing, so where the libraries are elsewhere (a profile taken in
 * Lambda, its libraries not installed here) a part keeps its whole cost. Immutable; deterministic.
 */
final class LoadedAnyway {
  static final LoadedAnyway NONE = new LoadedAnyway(Map.of(), Map.of());

  /** The module-level imports of every recorded module whose source is here and names a part's module, by name. */
  private final Map<String, List<ModuleLevelImports.Import>> importsOf;
  private final Map<String, String> fileOf;

  private LoadedAnyway(Map<String, List<ModuleLevelImports.Import>> importsOf, Map<String, String> fileOf) {
    this.importsOf = importsOf;
    this.fileOf = fileOf;
  }

  /**
   * Reads what the recorded modules import at their top, as far as the given parts need: only sources whose
   * import statements spell the name of one of the parts' modules are parsed.
   */
  static LoadedAnyway scan(ProfileSet profiles, ModuleLevelImports sources, Collection<ImportTree.Node> parts,
      Runnable checkCancelled) {
    if (sources.knowsNothing() || parts.isEmpty()) {
      return NONE;
    }
    List<String[]> wanted = new ArrayList<>();
    for (ImportTree.Node part : parts) {
      collectNames(part, wanted);
    }
    Map<String, List<ModuleLevelImports.Import>> importsOf = new TreeMap<>();
    Map<String, String> fileOf = new HashMap<>();
    for (Map.Entry<String, ModuleStats> module : profiles.modules().entrySet()) {
      checkCancelled.run();
      String file = module.getValue().file();
      if (file == null) {
        continue;
      }
      String[] name = module.getKey().split("\\.");
      String[] pkg = file.endsWith("__init__.py") ? name : Arrays.copyOf(name, name.length - 1);
      List<ModuleLevelImports.Import> imports =
          sources.of(module.getKey(), file, words -> wanted.stream().anyMatch(part -> spells(words, pkg, part)));
      if (!imports.isEmpty()) {
        importsOf.put(module.getKey(), imports);
        fileOf.put(module.getKey(), file);
      }
    }
    return new LoadedAnyway(importsOf, fileOf);
  }

  /** Whether nothing was found to import any part's module. */
  boolean isEmpty() {
    return importsOf.isEmpty();
  }

  /** The names of the sub-tree's modules that have a file (a built-in module costs nothing to import twice). */
  private static void collectNames(ImportTree.Node node, List<String[]> names) {
    if (node.file() != null) {
      names.add(node.module().split("\\."));
    }
    for (ImportTree.Node child : node.children()) {
      collectNames(child, names);
    }
  }

  /**
   * Whether a file of package {@code pkg} whose import statements hold {@code words} could import {@code
   * module}: any import of it, absolute or relative, spells its name's parts below where the two packages meet
   * ({@code from .docs import utils} in botocore/client.py for botocore.docs.utils). A module inside {@code
   * module}'s own package never loads it: it was loaded before them.
   */
  private static boolean spells(Set<String> words, String[] pkg, String[] module) {
    int common = 0;
    while (common < pkg.length && common < module.length && pkg[common].equals(module[common])) {
      common++;
    }
    if (common == module.length) {
      return false;
    }
    for (int i = common; i < module.length; i++) {
      if (!words.contains(module[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The part's largest sub-trees that would load anyway, heaviest first (the part itself, when the code that
   * stays imports its root). The part's own import, the library line that loaded it, does not count.
   */
  List<UnusedPart.ImportedElsewhere> in(ImportTree.Node part) {
    if (importsOf.isEmpty()) {
      return List.of();
    }
    Map<String, ImportTree.Node> inPart = new HashMap<>();
    index(part, inPart);
    Map<String, String> importerOf = new HashMap<>();
    Set<String> anyway = new HashSet<>();
    Deque<String> toScan = new ArrayDeque<>();
    for (String module : importsOf.keySet()) {
      if (!inPart.containsKey(module)) {
        toScan.add(module);
      }
    }
    Set<String> scanned = new HashSet<>();
    while (!toScan.isEmpty()) {
      String module = toScan.poll();
      if (!scanned.add(module)) {
        continue;
      }
      for (ModuleLevelImports.Import statement : importsOf.getOrDefault(module, List.of())) {
        if (isThePartsOwnImport(part.trigger(), module, statement)) {
          continue;
        }
        for (String target : statement.modules()) {
          for (String name = target; name != null; name = parentPackage(name)) {
            ImportTree.Node node = inPart.get(name);
            if (node != null && !anyway.contains(name)) {
              importerOf.put(name, module);
              markSubTree(node, anyway, toScan);
            }
          }
        }
      }
    }
    List<UnusedPart.ImportedElsewhere> loads = new ArrayList<>();
    collectLargest(part, anyway, importerOf, loads);
    loads.sort(Comparator.comparingDouble((UnusedPart.ImportedElsewhere sub) -> -sub.costUs())
        .thenComparing(UnusedPart.ImportedElsewhere::module));
    return List.copyOf(loads);
  }

  /** Whether the statement is the library line that imported the part (the one a fix would defer). */
  private boolean isThePartsOwnImport(Trigger trigger, String module, ModuleLevelImports.Import statement) {
    return trigger != null && Objects.equals(fileOf.get(module), trigger.file()) && statement.covers(trigger.line());
  }

  private static void index(ImportTree.Node node, Map<String, ImportTree.Node> byModule) {
    byModule.put(node.module(), node);
    for (ImportTree.Node child : node.children()) {
      index(child, byModule);
    }
  }

  /** Marks the sub-tree as loading anyway; its modules' own imports are read next. */
  private static void markSubTree(ImportTree.Node node, Set<String> anyway, Deque<String> toScan) {
    if (anyway.add(node.module())) {
      toScan.add(node.module());
    }
    for (ImportTree.Node child : node.children()) {
      markSubTree(child, anyway, toScan);
    }
  }

  private static void collectLargest(ImportTree.Node node, Set<String> anyway, Map<String, String> importerOf,
      List<UnusedPart.ImportedElsewhere> loads) {
    if (anyway.contains(node.module())) {
      loads.add(new UnusedPart.ImportedElsewhere(node.module(), importerOf.get(node.module()), node.costUs()));
      return;
    }
    for (ImportTree.Node child : node.children()) {
      collectLargest(child, anyway, importerOf, loads);
    }
  }

  private static String parentPackage(String module) {
    int dot = module.lastIndexOf('.');
    return dot < 0 ? null : module.substring(0, dot);
  }
}
