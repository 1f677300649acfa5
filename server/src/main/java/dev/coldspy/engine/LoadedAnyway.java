package dev.coldspy.engine;

import dev.coldspy.profile.PathMapper;
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
import java.util.concurrent.ConcurrentHashMap;

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
  static final LoadedAnyway NONE = new LoadedAnyway(ModuleLevelImports.NONE, Map.of(), Map.of(), Set.of(), Map.of());

  private final ModuleLevelImports sources;
  /** Every recorded module's origin file. */
  private final Map<String, String> fileOf;
  /**
   * The module-level imports of the recorded modules outside the parts whose sources are here and spell the name
   * of a module of a part they are not in, by name; the parts' own modules are read when they turn out to load
   * anyway ({@link #importsOf}).
   */
  private final Map<String, List<ModuleLevelImports.Import>> outside;
  /** The roots of the parts read for: only theirs are worked out, so that every such part is judged alike. */
  private final Set<String> scannedParts;
  /**
   * By package above a part's module, the names it hands out lazily that load a module of a part ({@link
   * LazyExports}): {@code from pydantic import Field} loads {@code pydantic.fields}.
   */
  private final Map<String, Map<String, String>> lazyExports;

  private LoadedAnyway(ModuleLevelImports sources, Map<String, String> fileOf,
      Map<String, List<ModuleLevelImports.Import>> outside, Set<String> scannedParts,
      Map<String, Map<String, String>> lazyExports) {
    this.sources = sources;
    this.fileOf = fileOf;
    this.outside = outside;
    this.scannedParts = scannedParts;
    this.lazyExports = lazyExports;
  }

  /**
   * Reads what the recorded modules import at their top, as far as the given parts need: only sources whose
   * import statements spell the name of a module of a part the source is not in are read now.
   *
   * @param parts unused parts of libraries: every sub-tree of theirs is looked for
   * @param statements the modules app lines loaded first (their import trees' roots): only their sub-trees that
   *     cost at least {@code statementSubTreeUs} are looked for, besides the roots. A statement's tree holds
   *     hundreds of modules, and the files that import some small one of them (six, typing_extensions) are
   *     many; what those could subtract is small.
   */
  static LoadedAnyway scan(ProfileSet profiles, ModuleLevelImports sources, Collection<ImportTree.Node> parts,
      Collection<ImportTree.Node> statements, double statementSubTreeUs, Runnable checkCancelled) {
    if (sources.knowsNothing() || (parts.isEmpty() && statements.isEmpty())) {
      return NONE;
    }
    List<Set<String>> partModules = new ArrayList<>();
    List<List<String[]>> wanted = new ArrayList<>();
    List<ImportTree.Node> all = new ArrayList<>(parts);
    all.addAll(statements);
    for (int i = 0; i < all.size(); i++) {
      Set<String> modules = new HashSet<>();
      List<String[]> names = new ArrayList<>();
      collectNames(all.get(i), modules, names, i < parts.size() ? 0 : statementSubTreeUs);
      partModules.add(modules);
      wanted.add(names);
    }
    Map<String, String> fileOf = new HashMap<>();
    profiles.modules().forEach((module, stats) -> {
      if (stats.file() != null) {
        fileOf.put(module, stats.file());
      }
    });
    // Code that stays is what init loads; a module first imported during a handler call loads nothing at init.
    Set<String> atInit = new HashSet<>();
    profiles.modules().forEach((module, stats) -> {
      if (stats.coldStartsImportedAtInit() > 0) {
        atInit.add(module);
      }
    });
    Map<String, Map<String, String>> lazyExports = lazyExports(sources, fileOf, partModules);
    // A name handed out lazily spells the module it loads: `from pydantic import Field` may import pydantic.fields.
    lazyExports.forEach((pkg, exports) -> exports.forEach((name, module) -> {
      for (int part = 0; part < partModules.size(); part++) {
        if (partModules.get(part).contains(module)) {
          wanted.get(part).add((pkg + "." + name).split("\\."));
        }
      }
    }));
    // In parallel: the files are independent, and reading and parsing them is most of the time.
    Map<String, List<ModuleLevelImports.Import>> outside = new ConcurrentHashMap<>();
    fileOf.entrySet().parallelStream().filter(module -> atInit.contains(module.getKey())).forEach(module -> {
      checkCancelled.run();
      String[] name = module.getKey().split("\\.");
      String[] pkg = module.getValue().endsWith("__init__.py") ? name : Arrays.copyOf(name, name.length - 1);
      List<ModuleLevelImports.Import> imports = sources.of(module.getKey(), module.getValue(), words -> {
        for (int part = 0; part < wanted.size(); part++) {
          if (!partModules.get(part).contains(module.getKey())
              && wanted.get(part).stream().anyMatch(other -> spells(words, pkg, other))) {
            return true;
          }
        }
        return false;
      });
      if (!imports.isEmpty()) {
        outside.put(module.getKey(), imports);
      }
    });
    Set<String> roots = new HashSet<>();
    all.forEach(part -> roots.add(part.module()));
    return new LoadedAnyway(sources, fileOf, new TreeMap<>(outside), roots, lazyExports);
  }

  /**
   * The lazy exports of the packages above the parts' modules that load a module of a part; packages without
   * such names are left out.
   */
  private static Map<String, Map<String, String>> lazyExports(ModuleLevelImports sources, Map<String, String> fileOf,
      List<Set<String>> partModules) {
    Set<String> inParts = new HashSet<>();
    partModules.forEach(inParts::addAll);
    Set<String> packages = new HashSet<>();
    for (String module : inParts) {
      for (String pkg = parentPackage(module); pkg != null; pkg = parentPackage(pkg)) {
        packages.add(pkg);
      }
    }
    Map<String, Map<String, String>> found = new HashMap<>();
    for (String pkg : packages) {
      Map<String, String> useful = new HashMap<>();
      sources.lazyExports(pkg, fileOf.get(pkg)).forEach((name, module) -> {
        if (inParts.contains(module)) {
          useful.put(name, module);
        }
      });
      if (!useful.isEmpty()) {
        found.put(pkg, Map.copyOf(useful));
      }
    }
    return Map.copyOf(found);
  }

  /**
   * The modules of the sub-tree, and the names of those outside the standard library whose sub-tree costs at
   * least {@code fromUs} (the root's always). A built-in module costs nothing; a standard-library one little,
   * while the files importing `ast` or `base64` are many: checking them all would cost more time than it
   * corrects.
   */
  private static void collectNames(ImportTree.Node root, Set<String> modules, List<String[]> names, double fromUs) {
    root.forEachInSubTree(node -> {
      modules.add(node.module());
      boolean counts = node == root || node.costUs() >= fromUs;
      if (counts && node.file() != null && !PathMapper.isStandardLibrary(node.file())) {
        names.add(node.module().split("\\."));
      }
    });
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

  /** Whether nothing was found to import any part's module. */
  boolean isEmpty() {
    return outside.isEmpty();
  }

  /**
   * The part's largest sub-trees that would load anyway, heaviest first (the part itself, when the code that
   * stays imports its root); empty for a part {@link #scan} was not given. The part's own import does not count:
   * the statement at the recorded library line, and any statement of the importing module that loads the part's
   * root (the line may have moved since profiling, or the profile not name it).
   *
   * @param importer the module whose code imported the part (its parent in the statement's tree), or null when
   *     only {@code own} is the part's import
   * @param own where the part's own import is: the recorded file and line, or none
   * @param going import statements that do not stay: the part's own, when an app line is the part, and the other
   *     app lines told to go
   * @param goingToo modules outside the part that other imports which do not stay loaded first: they stay only
   *     when code that stays imports them
   */
  List<UnusedPart.ImportedElsewhere> in(ImportTree.Node part, String importer, Collection<Trigger> own,
      Collection<Going> going, Set<String> goingToo) {
    if (outside.isEmpty() || !scannedParts.contains(part.module())) {
      return List.of();
    }
    Map<String, ImportTree.Node> inPart = new HashMap<>();
    part.forEachInSubTree(node -> inPart.put(node.module(), node));
    Map<String, String> importerOf = new HashMap<>();
    // by module that loads anyway or is scanned: the module outside the part, and what it imports, that keep it
    Map<String, String[]> keptBy = new HashMap<>();
    Set<String> anyway = new HashSet<>();
    Deque<String> toScan = new ArrayDeque<>();
    for (String module : outside.keySet()) {
      if (!inPart.containsKey(module) && !goingToo.contains(module)) {
        toScan.add(module);
      }
    }
    Set<String> scanned = new HashSet<>();
    while (!toScan.isEmpty()) {
      String module = toScan.poll();
      if (!scanned.add(module)) {
        continue;
      }
      for (ModuleLevelImports.Import statement : importsOf(module, inPart, goingToo)) {
        List<String> targets = withLazyExports(statement.modules());
        if (isThePartsOwnImport(part, importer, own, module, statement, targets)
            || goes(going, module, statement.modules())) {
          continue;
        }
        for (String target : targets) {
          String[] keeping = keptBy.getOrDefault(module, new String[] {module, target});
          for (String name = target; name != null; name = parentPackage(name)) {
            if (goingToo.contains(name)) {
              keptBy.putIfAbsent(name, keeping);
              toScan.add(name); // code that stays imports it: it stays, with what it imports
            }
            ImportTree.Node node = inPart.get(name);
            if (node != null && !anyway.contains(name)) {
              importerOf.put(name, module);
              markSubTree(node, inPart, anyway, toScan, keeping, keptBy);
            }
          }
        }
      }
    }
    List<UnusedPart.ImportedElsewhere> loads = new ArrayList<>();
    collectLargest(part, anyway, importerOf, keptBy, loads);
    loads.sort(Comparator.comparingDouble((UnusedPart.ImportedElsewhere sub) -> -sub.costUs())
        .thenComparing(UnusedPart.ImportedElsewhere::module));
    return List.copyOf(loads);
  }

  /**
   * A module's imports: read by {@link #scan} when outside the part; a module of the part, or one that goes too,
   * once it loads anyway.
   */
  private List<ModuleLevelImports.Import> importsOf(String module, Map<String, ImportTree.Node> inPart,
      Set<String> goingToo) {
    if (!inPart.containsKey(module) && !goingToo.contains(module)) {
      return outside.getOrDefault(module, List.of());
    }
    return sources.of(module, fileOf.get(module), words -> true);
  }

  /** What a statement loads, with the modules behind the names it takes from a package that hands them out lazily. */
  private List<String> withLazyExports(List<String> loaded) {
    if (lazyExports.isEmpty()) {
      return loaded;
    }
    List<String> targets = new ArrayList<>(loaded);
    for (String target : loaded) {
      String pkg = parentPackage(target);
      Map<String, String> exports = pkg == null ? null : lazyExports.get(pkg);
      String module = exports == null ? null : exports.get(target.substring(pkg.length() + 1));
      if (module != null && !targets.contains(module)) {
        targets.add(module);
      }
    }
    return targets;
  }

  /**
   * Whether the statement is the part's own import (the one a fix would defer).
   *
   * @param targets what the statement loads, names handed out lazily included
   */
  private boolean isThePartsOwnImport(ImportTree.Node part, String importer, Collection<Trigger> own, String module,
      ModuleLevelImports.Import statement, List<String> targets) {
    for (Trigger line : own) {
      if (Objects.equals(fileOf.get(module), line.file()) && statement.covers(line.line())) {
        return true;
      }
    }
    return module.equals(importer) && targets.contains(part.module());
  }

  /**
   * An app's import statement that does not stay, recognised by what it is rather than by its line (a buffer
   * being edited and the file on disk number their lines differently; a lazily handed-out name's recorded
   * trigger is in the package's file).
   *
   * @param importer the app module the statement is in
   * @param modules every module it may load ({@link ImportSite#modules()}, as {@link ModuleLevelImports.Import}
   *     lists them): another statement of the module that loads the same package (a typing-only {@code from
   *     openpyxl.worksheet.worksheet import Worksheet} beside {@code import openpyxl}) is not this one
   */
  record Going(String importer, Set<String> modules) {
    Going {
      modules = Set.copyOf(modules);
    }
  }

  private static boolean goes(Collection<Going> going, String module, List<String> loads) {
    for (Going statement : going) {
      if (statement.importer().equals(module) && statement.modules().size() == loads.size()
          && statement.modules().containsAll(loads)) {
        return true;
      }
    }
    return false;
  }

  /**
   * "405.0 ms loads anyway: pandas (405.0 ms), which services.reports imports too, and 2 more"
   *
   * @param loads the sub-trees that load anyway, heaviest first
   * @param totalUs what they cost together
   */
  static String describe(List<UnusedPart.ImportedElsewhere> loads, double totalUs) {
    UnusedPart.ImportedElsewhere heaviest = loads.get(0);
    int others = loads.size() - 1;
    return Units.ms(totalUs) + " loads anyway: " + heaviest.module() + " (" + Units.ms(heaviest.costUs())
        + "), which " + heaviest.importer() + " imports too" + (others > 0 ? ", and " + others + " more" : "");
  }


  /**
   * Marks the sub-tree as loading anyway, and the part's packages above each of its modules (loading {@code a.b}
   * loads {@code a}); their own imports are read next.
   */
  private static void markSubTree(ImportTree.Node node, Map<String, ImportTree.Node> inPart, Set<String> anyway,
      Deque<String> toScan, String[] keeping, Map<String, String[]> keptBy) {
    if (anyway.add(node.module())) {
      keptBy.putIfAbsent(node.module(), keeping);
      toScan.add(node.module());
    }
    for (String name = parentPackage(node.module()); name != null; name = parentPackage(name)) {
      ImportTree.Node parent = inPart.get(name);
      if (parent != null && !anyway.contains(name)) {
        anyway.add(name);
        keptBy.putIfAbsent(name, keeping);
        toScan.add(name);
      }
    }
    for (ImportTree.Node child : node.children()) {
      markSubTree(child, inPart, anyway, toScan, keeping, keptBy);
    }
  }

  private static void collectLargest(ImportTree.Node node, Set<String> anyway, Map<String, String> importerOf,
      Map<String, String[]> keptBy, List<UnusedPart.ImportedElsewhere> loads) {
    if (anyway.contains(node.module())) {
      String[] keeping = keptBy.get(node.module());
      loads.add(new UnusedPart.ImportedElsewhere(node.module(), importerOf.get(node.module()), node.costUs(),
          keeping[0], keeping[1]));
      return;
    }
    for (ImportTree.Node child : node.children()) {
      collectLargest(child, anyway, importerOf, keptBy, loads);
    }
  }

  private static String parentPackage(String module) {
    int dot = module.lastIndexOf('.');
    return dot < 0 ? null : module.substring(0, dot);
  }
}
