package dev.coldspy.engine;

import dev.coldspy.profile.ColdStart;
import dev.coldspy.profile.ModuleImport;
import dev.coldspy.profile.ModuleLevelStatement;
import dev.coldspy.profile.PathMapper;
import dev.coldspy.profile.Phase;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.Trigger;
import dev.coldspy.python.HandlerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Attributes init-phase import time to the application's import statements, cold start by cold start.
 *
 * <p>A statement pays for the modules it loaded first. Each module imported during init is owned by:
 * <ol>
 *   <li>the application statement at its recorded trigger line when that statement names the module (or a
 *       package it is a submodule of); else the statement of the trigger's file naming it nearest to that
 *       line (the file may have been edited since profiling); else the rules below;
 *   <li>when no import statement of the trigger's file names the module, the module-level statement that is
 *       no import at the trigger line ({@code MODEL = pickle.loads(...)}: C code imported it, the statement's
 *       own frame is the trigger) — unless the profile records a call behind the import, which puts the trigger
 *       inside a function (the app's helper unpickling), where rule 3 applies;
 *   <li>when a call made the import during init (the trigger is inside a function) and the module-level
 *       statement running it is the application's, that statement: an import statement, or any other
 *       ({@code model = joblib.load(...)}, which imports sklearn while unpickling) — without that record in
 *       the profile such imports fall to the rules below, which usually charge them to no one;
 *   <li>otherwise, when the module importing it is one of the application's modules, the first statement of
 *       that module's file that names it (so an app module's own imports pay for themselves);
 *   <li>otherwise the owner of the module importing it (numpy imported by pandas belongs to whoever imported
 *       pandas);
 *   <li>otherwise, for a top-level import, the first statement naming it, the entry file's first.
 * </ol>
 * Modules imported during a handler call (already lazy) cost init nothing. Modules loaded before the agent
 * started, or by code outside the given files, belong to no statement.
 *
 * <p><b>Changed since profiling.</b> A module the profile saw imported at init by a statement of an
 * application file that now imports it only inside functions or under {@code if TYPE_CHECKING:} (moved,
 * guarded) belongs to no statement when no other file imports it at module level: the code was changed since
 * the profile was taken. Its cost (and that of the modules it imported) is kept apart as a {@link Changed}
 * record instead of being charged to the moved statement. An import the profile records as made inside a call
 * from module-level code (its {@code statement}) is never taken for a moved one: it may sit in a function and
 * still run at init. A file that names the module nowhere any more gives
 * no such record: a removed import cannot be told from code that imports without an import statement
 * (unpickling a model, {@code importlib.import_module}), which the recorded line also points at.
 */
final class Attribution {
  /** One statement's accumulators. */
  static final class Account {
    final SourceFile file;
    final ImportSite site;
    /** False for a module-level statement that is no import, charged for the imports its calls made. */
    final boolean importStatement;
    /** The tree of the modules it loaded first, each sub-tree's cost and use. */
    final ImportTree.Builder tree;
    /** For a statement that is no import: the first recorded call path down to an import it made. */
    ModuleLevelStatement calls;
    final long[] costUs;
    /** Per cold start: the part of costUs spent compiling modules from source. */
    final long[] compileUs;
    final long[] rssBytes;
    boolean rssMeasured;
    final Map<String, Integer> modules = new TreeMap<>();
    final Map<String, Integer> paidBy;
    final Map<LibraryEntry, long[]> hitCostUs;
    final Map<LibraryEntry, String> hitPath;
    /**
     * Per cold start: the profile recorded this statement, which sits inside a function, importing at init —
     * so its function ran at init (called by module-level code), and the statement is used at init.
     */
    final boolean[] ranInFunctionAtInit;
    /** The modules whose module-level code called that function, where the profile names them. */
    final Set<String> functionCallers;
    /**
     * For an import statement naming one of the app's modules: the same statement charged also for what the
     * lines of the app modules it loaded first loaded in turn ({@link #withAppModules()}); else null.
     */
    private final Account withAppModules;
    /** In such a view: the statement charged alone; else null. */
    final Account alone;
    /**
     * In such a view: the app's lines whose imports it adds, those of the app modules it loaded first and, on
     * down, of the app modules those loaded; empty otherwise.
     */
    final List<Account> through = new ArrayList<>();
    /**
     * For an import statement naming one of the app's modules, and its view: the modules that the lines of the
     * app modules it loaded first (and on down) loaded first, with no parent among theirs. Their use is the
     * statement's use: a schema's methods are marshmallow's, so schemas.py's own code does not run when the
     * handler uses a schema.
     */
    List<String> throughRoots = List.of();

    Account(SourceFile file, ImportSite site, boolean importStatement, int coldStarts, boolean namesAppModule) {
      this.file = file;
      this.site = site;
      this.importStatement = importStatement;
      this.tree = new ImportTree.Builder(coldStarts);
      this.costUs = new long[coldStarts];
      this.compileUs = new long[coldStarts];
      this.rssBytes = new long[coldStarts];
      this.paidBy = new TreeMap<>();
      this.hitCostUs = new LinkedHashMap<>();
      this.hitPath = new HashMap<>();
      this.ranInFunctionAtInit = new boolean[coldStarts];
      this.functionCallers = new TreeSet<>();
      this.alone = null;
      this.withAppModules = namesAppModule ? new Account(this, coldStarts) : null;
    }

    /**
     * The view of {@code alone} with the app modules' lines: its own figures where they are the statement's
     * (what it names and was paid for by others, knowledge-file hits, its run in a function, its memory, which
     * the agent reads around an import with the imports below it), its own accumulators for cost and tree.
     */
    private Account(Account alone, int coldStarts) {
      this.file = alone.file;
      this.site = alone.site;
      this.importStatement = alone.importStatement;
      this.tree = new ImportTree.Builder(coldStarts);
      this.costUs = new long[coldStarts];
      this.compileUs = new long[coldStarts];
      this.rssBytes = alone.rssBytes;
      this.paidBy = alone.paidBy;
      this.hitCostUs = alone.hitCostUs;
      this.hitPath = alone.hitPath;
      this.ranInFunctionAtInit = alone.ranInFunctionAtInit;
      this.functionCallers = alone.functionCallers;
      this.alone = alone;
      this.withAppModules = null;
    }

    /**
     * The statement charged also for what the app modules it loaded first loaded through their own lines
     * (marshmallow, which {@code schemas.py:1} loads, for the handler's {@code from schemas import OrderSchema}):
     * deferring the statement defers those modules' bodies, and with them their imports. Empty when it loaded
     * no app module whose lines loaded anything.
     */
    Optional<Account> withAppModules() {
      return withAppModules == null || withAppModules.through.isEmpty() ? Optional.empty()
          : Optional.of(withAppModules);
    }
  }

  /** Import time that left init since profiling: one statement the profile recorded (file and line). */
  static final class Changed {
    final SourceFile file;
    /** The 1-based line the profile recorded the statement at. */
    final int recordedLine;
    /**
     * The statements of the file that now import the modules inside functions or for type checking only; none
     * when the statement was removed.
     */
    final List<ImportSite> movedTo = new ArrayList<>();
    /** The modules the recorded statement imported itself (the others came with them). */
    final Set<String> roots = new TreeSet<>();
    final long[] costUs;
    final Map<String, Integer> modules = new TreeMap<>();

    Changed(SourceFile file, int recordedLine, int coldStarts) {
      this.file = file;
      this.recordedLine = recordedLine;
      this.costUs = new long[coldStarts];
    }
  }

  /** Owner codes below this stand for a {@link Changed} record: {@code CHANGED - index}. */
  private static final int CHANGED = -2;

  private final List<Account> accounts = new ArrayList<>();
  private final List<Changed> changed = new ArrayList<>();
  private final Map<String, Integer> changedIndex = new HashMap<>();
  private final Map<ImportSite, Integer> indexBySite = new IdentityHashMap<>();
  /** First statement naming a module, per file (null key: all files, entry first), then per module. */
  private final Map<SourceFile, Map<String, Integer>> firstNamingCache = new HashMap<>();
  private final List<SourceFile> filesEntryFirst;
  private final Map<String, SourceFile> fileByModule = new HashMap<>();
  private final PathMapper<SourceFile> paths;
  private final Knowledge knowledge;
  private final ModuleRuns runs;
  private final int coldStarts;
  private final long[] unchargedCallUs;
  private final Map<String, Trigger> unchargedCallExamples = new TreeMap<>();

  Attribution(ProfileSet profiles, List<SourceFile> files, PathMapper<SourceFile> paths, Knowledge knowledge,
      ModuleRuns runs, Runnable checkCancelled) {
    this.paths = paths;
    this.knowledge = knowledge;
    this.runs = runs;
    this.coldStarts = profiles.coldStartCount();
    this.unchargedCallUs = new long[coldStarts];
    this.filesEntryFirst = entryFirst(files, profiles.app().handler());
    for (SourceFile file : filesEntryFirst) {
      fileByModule.putIfAbsent(file.moduleName(), file);
    }
    for (SourceFile file : filesEntryFirst) {
      for (ImportSite site : file.imports()) {
        indexBySite.put(site, accounts.size());
        accounts.add(new Account(file, site, true, coldStarts,
            site.modules().stream().anyMatch(fileByModule::containsKey)));
      }
    }
    int coldStartIndex = 0;
    for (Profile profile : profiles.profiles()) {
      for (ColdStart coldStart : profile.coldStarts()) {
        checkCancelled.run();
        attribute(coldStart, coldStartIndex++);
      }
    }
    for (Account account : accounts) {
      account.withAppModules().ifPresent(view -> {
        view.throughRoots = view.through.stream().flatMap(line -> line.tree.build().roots().stream())
            .map(ImportTree.Node::module).distinct().sorted().toList();
        account.throughRoots = view.throughRoots;
      });
    }
  }

  List<Account> accounts() {
    return accounts;
  }

  /** The statements changed since profiling, in the order first met. */
  List<Changed> changed() {
    return changed;
  }

  private void attribute(ColdStart coldStart, int index) {
    Map<String, Integer> owner = new HashMap<>();
    Map<String, String> uncharged = new HashMap<>();
    Map<String, ModuleImport> byName = new HashMap<>();
    Map<String, LibraryEntry> libraryOf = new HashMap<>();
    for (ModuleImport module : coldStart.modules()) {
      if (owner.containsKey(module.name())) {
        continue;
      }
      byName.put(module.name(), module);
      int account = module.phase() == Phase.INIT ? ownerOf(module, owner) : -1;
      owner.put(module.name(), account);
      if (account <= CHANGED) {
        Changed moved = changed.get(CHANGED - account);
        moved.costUs[index] += module.selfUs();
        moved.modules.merge(module.name(), 1, Integer::sum);
        continue;
      }
      if (account < 0) {
        if (module.phase() == Phase.INIT) {
          noteUncharged(module, index, uncharged);
        }
        continue;
      }
      Account paying = accounts.get(account);
      if (ranInFunction(paying, module)) {
        paying.ranInFunctionAtInit[index] = true;
        callerModule(module.statement()).ifPresent(paying.functionCallers::add);
      }
      charge(paying, index, module);
      chargeLinesAbove(account, index, module, owner);
      Integer parentOwner = module.parent() == null ? null : owner.get(module.parent());
      boolean root = parentOwner == null || parentOwner != account;
      if (root && module.rssDeltaBytes() != null) {
        paying.rssBytes[index] += module.rssDeltaBytes();
        paying.rssMeasured = true;
      }
      // A module belongs to a knowledge-file library when it is one of its modules or was imported by one
      // (what pkg_resources imports is part of the cost of pkg_resources).
      LibraryEntry library = knowledge.entryFor(module.name())
          .orElse(root ? null : libraryOf.get(module.parent()));
      if (library != null) {
        libraryOf.put(module.name(), library);
        paying.hitCostUs.computeIfAbsent(library, e -> new long[paying.costUs.length])[index] += module.selfUs();
        if (library.covers(module.name())) {
          paying.hitPath.computeIfAbsent(library, e -> pathTo(module, account, owner, byName));
        }
      }
    }
    for (int i = 0; i < accounts.size(); i++) {
      Account account = accounts.get(i);
      for (String named : account.site.modules()) {
        Integer paid = owner.get(named);
        if (paid != null && paid >= 0 && paid != i) {
          account.paidBy.putIfAbsent(named, paid);
        }
      }
    }
  }

  private void charge(Account paying, int coldStart, ModuleImport module) {
    paying.tree.add(coldStart, module, runs.of(coldStart, module.name()));
    paying.costUs[coldStart] += module.selfUs();
    paying.compileUs[coldStart] += Math.min(module.compileUs(), module.selfUs());
    paying.modules.merge(module.name(), 1, Integer::sum);
  }

  /**
   * Charges a module to the views with app modules ({@link Account#withAppModules()}) of the statement that paid
   * for it and of the lines above it: the statement that loaded the paying line's module first, the one that
   * loaded that statement's module, and so on up.
   */
  private void chargeLinesAbove(int paying, int coldStart, ModuleImport module, Map<String, Integer> owner) {
    Account line = accounts.get(paying);
    if (line.withAppModules != null) {
      charge(line.withAppModules, coldStart, module);
    }
    Set<Integer> seen = new HashSet<>(Set.of(paying));
    for (int current = paying; ; ) {
      Integer above = owner.get(accounts.get(current).file.moduleName());
      if (above == null || above < 0 || !seen.add(above) || accounts.get(above).withAppModules == null) {
        return;
      }
      Account view = accounts.get(above).withAppModules;
      charge(view, coldStart, module);
      if (!view.through.contains(line)) {
        view.through.add(line);
      }
      current = above;
    }
  }

  /**
   * Whether the profile recorded {@code paying}, an import statement inside a function, as the line that
   * imported {@code module} at init: the trigger lies in its file, within its lines.
   */
  private boolean ranInFunction(Account paying, ModuleImport module) {
    if (!paying.importStatement || paying.site.moduleLevel() || module.phase() != Phase.INIT
        || module.trigger() == null) {
      return false;
    }
    int line = module.trigger().line();
    return line >= paying.site.oneBasedLine() && line <= paying.site.oneBasedEndLine()
        && paths.toWorkspace(module.trigger().file()).orElse(null) == paying.file;
  }

  /** The application module whose module-level statement ran the call, when the profile names one. */
  private Optional<String> callerModule(ModuleLevelStatement statement) {
    return statement == null ? Optional.empty()
        : paths.toWorkspace(statement.file()).map(SourceFile::moduleName);
  }

  /**
   * Counts an init-phase import no statement pays for when a call made it outside any import (no parent; the
   * trigger is a library's or the standard library's code, e.g. pickle while unpickling) and the profile does
   * not name the module-level statement behind the call, with everything it imported in turn.
   *
   * @param uncharged this cold start's modules counted so far, each to the module that started its group
   */
  private void noteUncharged(ModuleImport module, int coldStart, Map<String, String> uncharged) {
    String group = module.parent() == null ? null : uncharged.get(module.parent());
    if (group == null) {
      boolean byCall = module.parent() == null && module.statement() == null && module.trigger() != null
          && paths.toWorkspace(module.trigger().file()).isEmpty();
      if (!byCall) {
        return;
      }
      group = module.name();
      unchargedCallExamples.putIfAbsent(group, module.trigger());
    }
    uncharged.put(module.name(), group);
    unchargedCallUs[coldStart] += module.selfUs();
  }

  /** Per cold start, the import time of imports made by calls that no statement pays for. */
  long[] unchargedCallUs() {
    return unchargedCallUs;
  }

  /** The first module of each group of such imports, with the line that imported it. */
  Map<String, Trigger> unchargedCallExamples() {
    return unchargedCallExamples;
  }

  /** {@code chameleon -> chameleon.template -> pkg_resources}: how a statement reached a module. */
  private static String pathTo(ModuleImport module, int account, Map<String, Integer> owner,
      Map<String, ModuleImport> byName) {
    List<String> chain = new ArrayList<>();
    ModuleImport current = module;
    while (current != null && chain.size() < 50) {
      chain.add(0, current.name());
      String parent = current.parent();
      if (parent == null || !Integer.valueOf(account).equals(owner.get(parent))) {
        break;
      }
      current = byName.get(parent);
    }
    return String.join(" -> ", chain);
  }

  private int ownerOf(ModuleImport module, Map<String, Integer> owner) {
    if (module.trigger() != null) {
      SourceFile file = paths.toWorkspace(module.trigger().file()).orElse(null);
      if (file != null) {
        // The recorded line is only a hint: the file may have been edited since the profile was taken, so
        // the statement there must name the module, else the nearest one in that file that does.
        ImportSite site = file.importAt(module.trigger().line());
        if (site != null && loads(site, module.name())) {
          return indexBySite.get(site);
        }
        // An import that ran inside a call from module level (the profile records the statement behind it)
        // may sit in a function; else only a module-level statement runs at init.
        boolean inCall = module.statement() != null;
        int nearest = nearestNaming(module.name(), file, module.trigger().line(), inCall);
        if (nearest >= 0) {
          return nearest;
        }
        if (!inCall && (changedSinceProfiling(module.name(), file)
            || removedSinceProfiling(module.name(), file, module.trigger().line()))) {
          int elsewhere = firstNamingAtModuleLevel(module.name());
          return elsewhere >= 0 ? elsewhere : changedOwner(file, module.trigger().line(), module.name());
        }
        // No import names it: a module-level statement that is no import imported it itself, through a call
        // without a Python frame (`MODEL = pickle.loads(...)`: C code calls __import__). Not when the profile
        // records the statement behind a call: the trigger then lies in a function (the app's own helper's
        // `return pickle.loads(blob)`), whose `def` imports nothing, and the recorded statement pays below.
        int other = inCall ? -1 : otherStatementAccount(file, module.trigger().line(), null);
        if (other >= 0) {
          return other;
        }
      }
    }
    if (module.statement() != null) {
      int charged = statementOwner(module.statement());
      if (charged >= 0) {
        return charged;
      }
    }
    if (module.parent() != null) {
      SourceFile parentFile = fileByModule.get(module.parent());
      if (parentFile != null) {
        return firstNaming(module.name(), parentFile);
      }
      Integer parentOwner = owner.get(module.parent());
      return parentOwner == null ? -1 : parentOwner;
    }
    return firstNaming(module.name(), (SourceFile) null);
  }

  /**
   * The account of the application's module-level statement that ran the call importing a module: the import
   * statement on that line, else the other statement there (its account made on first use); -1 when the
   * statement is in no application file.
   */
  private int statementOwner(ModuleLevelStatement statement) {
    SourceFile file = paths.toWorkspace(statement.file()).orElse(null);
    if (file == null) {
      return -1;
    }
    ImportSite site = file.importAt(statement.line());
    if (site != null) {
      return indexBySite.get(site);
    }
    return otherStatementAccount(file, statement.line(), statement);
  }

  /**
   * The account of the module-level statement that is no import at a 1-based line of an application file (made
   * on first use), or -1 when there is none.
   *
   * @param calls the recorded call path from it down to the import, or null when the statement itself imported
   */
  private int otherStatementAccount(SourceFile file, int line, ModuleLevelStatement calls) {
    ImportSite other = file.otherStatementAt(line);
    if (other == null) {
      return -1;
    }
    Integer index = indexBySite.get(other);
    if (index == null) {
      index = accounts.size();
      indexBySite.put(other, index);
      accounts.add(new Account(file, other, false, coldStarts, false));
    }
    Account account = accounts.get(index);
    if (account.calls == null) {
      account.calls = calls;
    }
    return index;
  }

  /**
   * Whether executing {@code site} can load {@code module}: it names it or a package containing it (the
   * import system loads a submodule on the statement's behalf, e.g. through a package's {@code __getattr__}).
   */
  private static boolean loads(ImportSite site, String module) {
    for (String named : site.modules()) {
      if (module.equals(named) || module.startsWith(named + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The statement of {@code file} naming {@code module} nearest to {@code line}, or -1: a module-level one
   * unless {@code anyScope} (a statement inside a function runs at init only when called from module level,
   * which the profile records).
   */
  private int nearestNaming(String module, SourceFile file, int line, boolean anyScope) {
    int best = -1;
    int bestDistance = Integer.MAX_VALUE;
    for (ImportSite site : file.imports()) {
      if (!site.names(module) || site.typeCheckingOnly() || !(anyScope || site.moduleLevel())) {
        continue;
      }
      int distance = line < site.oneBasedLine() ? site.oneBasedLine() - line : Math.max(0, line - site.oneBasedEndLine());
      if (distance < bestDistance) {
        best = indexBySite.get(site);
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * Whether {@code file}, where the profile saw {@code module} imported at init, has changed since: no
   * module-level statement names it (the caller looked), but a statement inside a function or under
   * {@code if TYPE_CHECKING:} does (moved, guarded).
   */
  private static boolean changedSinceProfiling(String module, SourceFile file) {
    for (ImportSite site : file.imports()) {
      if (site.names(module)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the import statement the profile saw at {@code line} of {@code file} has been removed (or replaced
   * by another library's) since: no statement of the file names {@code module} any more (the caller looked),
   * and no module-level statement that is no import sits at that line now — one that does may have imported it
   * without an import statement ({@code MODEL = pickle.loads(...)}: C code imports, the line is the trigger),
   * and is charged with it instead.
   */
  private static boolean removedSinceProfiling(String module, SourceFile file, int line) {
    for (ImportSite site : file.imports()) {
      if (loads(site, module)) {
        return false;
      }
    }
    return file.otherStatementAt(line) == null;
  }

  /** The first module-level statement of any file naming {@code module}, entry file first, or -1. */
  private int firstNamingAtModuleLevel(String module) {
    for (SourceFile file : filesEntryFirst) {
      for (ImportSite site : file.imports()) {
        if (site.names(module) && site.moduleLevel() && !site.typeCheckingOnly()) {
          return indexBySite.get(site);
        }
      }
    }
    return -1;
  }

  /** The owner code of the changed statement recorded at {@code file:line}, created on first use. */
  private int changedOwner(SourceFile file, int line, String module) {
    Integer index = changedIndex.computeIfAbsent(file.relativePath() + ":" + line, key -> {
      changed.add(new Changed(file, line, coldStarts));
      return changed.size() - 1;
    });
    Changed record = changed.get(index);
    record.roots.add(module);
    for (ImportSite site : file.imports()) {
      if (site.names(module) && !record.movedTo.contains(site)) {
        record.movedTo.add(site);
      }
    }
    return CHANGED - index;
  }

  /** The first statement of {@code file} (null: of all files, entry first) naming {@code module}. */
  private int firstNaming(String module, SourceFile file) {
    Map<String, Integer> byModule = firstNamingCache.computeIfAbsent(file, f -> new HashMap<>());
    Integer cached = byModule.get(module);
    if (cached == null) {
      cached = firstNamingIn(module, file == null ? filesEntryFirst : List.of(file));
      byModule.put(module, cached);
    }
    return cached;
  }

  /** The first statement naming {@code module}: module-level statements first, then any. */
  private int firstNamingIn(String module, List<SourceFile> files) {
    int anywhere = -1;
    for (SourceFile file : files) {
      for (ImportSite site : file.imports()) {
        if (!site.names(module) || site.typeCheckingOnly()) {
          continue;
        }
        if (site.moduleLevel()) {
          return indexBySite.get(site);
        }
        if (anywhere < 0) {
          anywhere = indexBySite.get(site);
        }
      }
    }
    return anywhere;
  }

  /** The entry file (the profiled handler's) first, then the others by path: it runs first. */
  private static List<SourceFile> entryFirst(List<SourceFile> files, String handler) {
    List<SourceFile> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
    if (handler != null) {
      HandlerSpec spec = HandlerSpec.parse(handler);
      for (int i = 0; i < sorted.size(); i++) {
        SourceFile file = sorted.get(i);
        if (spec.isHandlerFile(file.relativePath(), file.moduleName())) {
          sorted.add(0, sorted.remove(i));
          break;
        }
      }
    }
    return sorted;
  }
}
