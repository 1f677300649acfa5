package dev.coldspy.engine;

import dev.coldspy.profile.Distribution;
import dev.coldspy.profile.ModuleStats;
import dev.coldspy.profile.PathMapper;
import dev.coldspy.profile.Profile;
import dev.coldspy.profile.ProfileSet;
import dev.coldspy.profile.SampledColdStarts;
import dev.coldspy.profile.SourceKind;
import dev.coldspy.profile.Trigger;
import dev.coldspy.python.HandlerSpec;
import dev.coldspy.rules.FixKind;
import dev.coldspy.rules.FixSituation;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The analysis: attributes the import time recorded in a profile set to the import statements of the
 * application's files, measures how often each statement's modules are used, and classifies and ranks the
 * costly ones. Pure and deterministic (the same inputs give equal results); safe to call from any thread
 * with immutable inputs; {@code checkCancelled} is called between steps and may throw to abandon the work.
 */
public final class Engine {
  private static final int USE_SITES = 5;
  /** The lines of the app modules a statement loads named in its finding's detail, heaviest first. */
  private static final int THROUGH_NAMED = 3;
  /** How many times its saving alone a line's saving together with other lines must be to be named beside it. */
  private static final double TOGETHER_NAMED_RATIO = 1.5;
  private static final Pattern MAJOR_MINOR = Pattern.compile("\\d+\\.\\d+");

  private final Knowledge knowledge;
  private final EngineSettings settings;
  private final ModuleLevelImports libraryImports;
  /**
   * The rules whose saving is the statement's own cost, as their fix takes it out of init (CS105's guard under
   * {@code if TYPE_CHECKING:} too): what other code imports too is no saving of theirs.
   */
  private static final Set<RuleCode> SAVES_ITS_COST = EnumSet.of(RuleCode.NEVER_USED, RuleCode.RARELY_USED,
      RuleCode.FEATURE_REDUNDANCY, RuleCode.LIBRARY_CHOICE, RuleCode.TYPING_ONLY);

  /** Import statements whose names nothing uses while the module is imported: they can go from init. */
  private static final Set<StaticUse> NOT_USED_AT_IMPORT =
      EnumSet.of(StaticUse.UNREFERENCED, StaticUse.ANNOTATIONS_ONLY, StaticUse.FUNCTIONS_ONLY);

  /** An engine that reads no library source: an unused part keeps the cost of everything it loaded first. */
  public Engine(Knowledge knowledge, EngineSettings settings) {
    this(knowledge, settings, ModuleLevelImports.NONE);
  }

  /**
   * @param libraryImports what the recorded modules import at their top, read from their sources where those are
   *     on this machine: the part of an unused library part that other code imports too is no saving
   */
  public Engine(Knowledge knowledge, EngineSettings settings, ModuleLevelImports libraryImports) {
    this.knowledge = knowledge;
    this.settings = settings;
    this.libraryImports = libraryImports;
  }

  /** Analyses without cancellation. */
  public Analysis analyze(ProfileSet profiles, List<SourceFile> files) {
    return analyze(profiles, files, () -> {});
  }

  /** Analyses; {@code checkCancelled} may throw (e.g. LSP4J's CancellationException) to stop early. */
  public Analysis analyze(ProfileSet profiles, List<SourceFile> files, Runnable checkCancelled) {
    return analyze(profiles, files, relativePath -> false, checkCancelled);
  }

  /**
   * Analyses an application whose folder holds vendored libraries: their files are library code, so their own
   * import statements are never reported; what they load is charged to the application's statements that
   * pull them in, and an unused part inside them can be deferred with {@code coldspy fix --vendored}.
   *
   * @param vendored whether a file, by its path relative to the application root ('/'-separated), is a
   *     vendored library's
   */
  public Analysis analyze(ProfileSet profiles, List<SourceFile> files, Predicate<String> vendored,
      Runnable checkCancelled) {
    List<SourceFile> appFiles = files.stream().filter(file -> !vendored.test(file.relativePath())).toList();
    PathMapper<SourceFile> paths =
        new PathMapper<>(profiles.app().root(), appFiles, file -> Path.of(file.relativePath()), null);
    ModuleRuns runs = ModuleRuns.of(profiles, vendored);
    Attribution attribution = new Attribution(profiles, appFiles, paths, knowledge, runs, checkCancelled);
    checkCancelled.run();
    UsageIndex usage = new UsageIndex(profiles, paths);
    PythonVersion target = targetPython(profiles);
    UnusedPartRule.Remedies remedies = new UnusedPartRule.Remedies(
        line -> vendored.test(CodePaths.display(line.file(), profiles.app().root())),
        target.compareTo(PythonVersion.PEP_810) >= 0);
    List<StatementCost> statements = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    DeferredParts deferred = new DeferredParts(files.stream().filter(file -> vendored.test(file.relativePath()))
        .toList(), profiles.app().root());
    Map<Attribution.Account, ImportTree> trees = new LinkedHashMap<>();
    Map<Attribution.Account, StatementCost> costs = new LinkedHashMap<>();
    Map<Attribution.Account, Finding> found = new LinkedHashMap<>();
    for (Attribution.Account account : attribution.accounts()) {
      checkCancelled.run();
      if (account.site.typeCheckingOnly()) {
        continue;
      }
      ImportTree tree = account.tree.build();
      trees.put(account, tree);
      StatementCost cost = cost(account, tree, attribution.accounts(), profiles, usage, runs, deferred,
          LoadedAnyway.NONE);
      costs.put(account, cost);
      finding(account, tree, cost, usage, target, origin(account, profiles), remedies, List.of())
          .ifPresent(finding -> found.put(account, finding));
    }
    // The statements are shown with what they loaded first themselves; the lines that load an app module whose
    // own lines import (handler.py's `import schemas`, schemas.py's `import marshmallow`) are judged with those.
    Map<Attribution.Account, StatementCost> ownCosts = new LinkedHashMap<>(costs);
    judgeWithAppModules(attribution, found, trees, costs, profiles, usage, runs, deferred, target, remedies,
        checkCancelled);
    // The unused parts found: what of them code that stays imports too is no saving. Read once, for all of them,
    // and only for them (reading the libraries' sources is the costly part).
    List<ImportTree.Node> reported = new ArrayList<>();
    List<ImportTree.Node> toldRoots = new ArrayList<>();
    found.forEach((account, finding) -> {
      if (finding.rule() == RuleCode.UNUSED_PART) {
        Set<String> culprits = new HashSet<>();
        // (a part the knowledge file knows a lighter way for keeps its cost: UnusedPartRule.parts)
        finding.cost().unusedParts().stream()
            .filter(part -> part.reportable() && part.knowledge() == null && part.costUs() >= settings.minMs() * 1000)
            .forEach(part -> culprits.add(part.module()));
        trees.get(account).unused().stream().map(ImportTree.Unused::node)
            .filter(node -> culprits.contains(node.module())).forEach(reported::add);
      }
      // (a line with unused parts too: once they load anyway, its verdict may be the whole line's)
      if ((SAVES_ITS_COST.contains(finding.rule()) || finding.rule() == RuleCode.UNUSED_PART)
          && account.importStatement) {
        toldRoots.addAll(trees.get(account).roots());
      }
    });
    LoadedAnyway anyway = LoadedAnyway.scan(profiles, libraryImports, reported, toldRoots, settings.minMs() * 1000,
        checkCancelled);
    // A line whose unused parts load anyway is judged again without them; a verdict on the whole line (a rarely
    // used library once its unused part goes with code that stays) is then reduced by what loads anyway, too.
    if (!anyway.isEmpty()) {
      for (Map.Entry<Attribution.Account, Finding> entry : List.copyOf(found.entrySet())) {
        if (entry.getValue().rule() != RuleCode.UNUSED_PART) {
          continue;
        }
        checkCancelled.run();
        Attribution.Account account = entry.getKey();
        ImportTree tree = trees.get(account);
        StatementCost cost = cost(account, tree, attribution.accounts(), profiles, usage, runs, deferred, anyway);
        costs.put(account, cost);
        finding(account, tree, cost, usage, target, origin(account, profiles), remedies, List.of()).ifPresentOrElse(
            again -> found.put(account, again), () -> found.remove(account));
      }
    }
    Map<Attribution.Account, Optional<Finding>> lessWhatStays =
        lessWhatStays(found, trees, costs, anyway, usage, runs, target, profiles, remedies, attribution,
            checkCancelled);
    ownCosts.forEach((account, own) -> statements.add(costs.getOrDefault(account, own)));
    for (Attribution.Account account : costs.keySet()) {
      Finding finding = lessWhatStays.containsKey(account) ? lessWhatStays.get(account).orElse(null)
          : found.get(account);
      if (finding != null) {
        findings.add(finding);
      }
    }
    // Ranked by estimated saving; usage-unknown findings have no estimate and come after, by cost.
    findings.sort(
        Comparator.comparing((Finding f) -> !f.rule().estimatesSaving())
            .thenComparingDouble(f -> -f.savingUs())
            .thenComparingDouble(f -> -f.cost().costMedianUs())
            .thenComparing(Finding::file)
            .thenComparingInt(Finding::oneBasedLine)
            .thenComparingInt(Finding::oneBasedColumn));
    statements.sort(
        Comparator.comparing(StatementCost::file).thenComparingInt(StatementCost::oneBasedLine)
            .thenComparingInt(StatementCost::oneBasedColumn));
    List<String> notes = new ArrayList<>();
    unchargedCallsNote(attribution, profiles).ifPresent(notes::add);
    List<FixedSinceProfiling> fixed = fixedSinceProfiling(attribution, deferred);
    CompileCosts compileCosts = CompileCosts.of(profiles);
    CompileFinding compile = CompiledFromSource.find(compileCosts, profiles, files, settings).orElse(null);
    return new Analysis(findings, statements, summary(profiles, usage, findings, statements, notes, fixed, compile),
        fixed, compile, compileCosts);
  }

  /**
   * Judges again, with the app modules' lines ({@link Attribution.Account#withAppModules()}), each statement that
   * loaded an app module first whose own lines loaded modules in turn: deferring {@code from schemas import
   * OrderSchema} defers marshmallow too when only schemas.py imports it, and a schema's methods are marshmallow's,
   * so the use of what those lines loaded is the statement's use. Deepest statements first; one whose app
   * modules' lines have findings of their own keeps its judgment alone (their savings are theirs: following
   * them first, a new profile judges it again). The view's verdict replaces the statement's alone but for an
   * unused part, which belongs to the line that loaded it.
   */
  private void judgeWithAppModules(Attribution attribution, Map<Attribution.Account, Finding> found,
      Map<Attribution.Account, ImportTree> trees, Map<Attribution.Account, StatementCost> costs,
      ProfileSet profiles, UsageIndex usage, ModuleRuns runs, DeferredParts deferred, PythonVersion target,
      UnusedPartRule.Remedies remedies, Runnable checkCancelled) {
    List<Attribution.Account> views = attribution.accounts().stream().filter(costs::containsKey)
        .flatMap(account -> account.withAppModules().stream())
        .sorted(Comparator.comparingInt(view -> view.through.size())).toList();
    Map<Attribution.Account, Attribution.Account> judgedAs = new HashMap<>();
    for (Attribution.Account view : views) {
      checkCancelled.run();
      if (view.through.stream().anyMatch(line -> found.containsKey(judgedAs.getOrDefault(line, line)))) {
        continue;
      }
      ImportTree tree = view.tree.build();
      StatementCost cost = cost(view, tree, attribution.accounts(), profiles, usage, runs, deferred,
          LoadedAnyway.NONE);
      Optional<Finding> finding = finding(view, tree, cost, usage, target, origin(view, profiles), remedies,
          List.of()).filter(verdict -> verdict.rule() != RuleCode.UNUSED_PART);
      Attribution.Account alone = view.alone;
      found.remove(alone);
      trees.remove(alone);
      costs.remove(alone);
      trees.put(view, tree);
      costs.put(view, cost);
      finding.ifPresent(present -> found.put(view, present));
      judgedAs.put(alone, view);
    }
  }

  private static List<FixedSinceProfiling> fixedSinceProfiling(Attribution attribution, DeferredParts deferred) {
    List<FixedSinceProfiling> fixed = new ArrayList<>(deferred.found());
    for (Attribution.Changed changed : attribution.changed()) {
      ImportSite movedTo = changed.movedTo.isEmpty() ? null : changed.movedTo.get(0);
      fixed.add(new FixedSinceProfiling(
          changed.file.displayPath(),
          movedTo == null ? changed.recordedLine : movedTo.oneBasedLine(),
          movedTo == null ? null : movedTo.ref(),
          String.join(", ", changed.roots),
          Distribution.of(changed.costUs).median()));
    }
    fixed.sort(Comparator.comparing(FixedSinceProfiling::file).thenComparingInt(FixedSinceProfiling::oneBasedLine));
    return fixed;
  }

  /**
   * The modules whose code running counts as the statement's use: the ones an import statement names, else
   * the modules a statement that is no import loaded first with no parent among them (what its call imported).
   */
  private static List<String> usedModules(Attribution.Account account, ImportTree tree) {
    List<String> own = account.importStatement ? account.site.targets()
        : tree.roots().stream().map(ImportTree.Node::module).sorted().toList();
    if (account.throughRoots.isEmpty()) {
      return own;
    }
    Set<String> withAppModules = new TreeSet<>(own);
    withAppModules.addAll(account.throughRoots);
    return List.copyOf(withAppModules);
  }

  private StatementCost cost(Attribution.Account account, ImportTree tree, List<Attribution.Account> accounts,
      ProfileSet profiles, UsageIndex usage, ModuleRuns runs, DeferredParts deferred, LoadedAnyway anyway) {
    Distribution cost = Distribution.of(account.costUs);
    List<LoadedModule> loaded = new ArrayList<>();
    for (String name : account.modules.keySet()) {
      ModuleStats stats = profiles.modules().get(name);
      loaded.add(new LoadedModule(name, stats.selfUs().median(), stats.cumulativeUs().median(),
          stats.rssDeltaBytes().isEmpty() ? -1 : stats.rssDeltaBytes().median()));
    }
    loaded.sort(Comparator.comparingDouble((LoadedModule m) -> -m.selfUs()).thenComparing(LoadedModule::name));
    List<PaidBy> paidBy = new ArrayList<>();
    for (Map.Entry<String, Integer> paid : account.paidBy.entrySet()) {
      Attribution.Account payer = accounts.get(paid.getValue());
      paidBy.add(new PaidBy(paid.getKey(), payer.file.displayPath(), payer.site.oneBasedLine()));
    }
    ImportSite site = account.site;
    return new StatementCost(
        site.ref(),
        account.file.displayPath(),
        site.oneBasedLine(),
        site.oneBasedColumn(),
        site.oneBasedEndLine(),
        site.text(),
        cost.median(),
        cost.p90(),
        account.rssMeasured ? Distribution.of(account.rssBytes).median() : -1,
        loaded,
        paidBy,
        usage.evidence(usedModules(account, tree)),
        runs.initUse(usedModules(account, tree), account.ranInFunctionAtInit, account.functionCallers),
        tree,
        UnusedPartRule.parts(tree, profiles.app().root(), knowledge, anyway).stream()
            .filter(part -> !deferred.test(part))
            .toList(),
        account.calls == null ? null : CodePaths.callPath(account.calls, profiles.app().root()));
  }

  /**
   * The findings whose saving is their statement's cost, less what of it code that stays imports too; empty
   * where that leaves too little. The app's lines told to go do not stay: two lines of one library, each told to
   * go, each save what they loaded first, though either alone loads the other's modules; nor do the modules of
   * lines fixed since profiling. A line whose finding goes stays, and may load what another line was charged
   * for: worked out again until nothing changes.
   */
  private Map<Attribution.Account, Optional<Finding>> lessWhatStays(Map<Attribution.Account, Finding> found,
      Map<Attribution.Account, ImportTree> trees, Map<Attribution.Account, StatementCost> costs,
      LoadedAnyway anyway, UsageIndex usage, ModuleRuns runs, PythonVersion target, ProfileSet profiles,
      UnusedPartRule.Remedies remedies, Attribution attribution, Runnable checkCancelled) {
    Map<Attribution.Account, Optional<Finding>> result = new LinkedHashMap<>();
    if (anyway.isEmpty()) {
      return result;
    }
    List<Attribution.Account> candidates = new ArrayList<>();
    found.forEach((account, finding) -> {
      if (SAVES_ITS_COST.contains(finding.rule()) && account.importStatement) {
        candidates.add(account);
      }
    });
    Set<String> fixedModules = new HashSet<>();
    attribution.changed().forEach(fixed -> fixedModules.addAll(fixed.modules.keySet()));
    Set<Attribution.Account> told = new HashSet<>(candidates);
    for (int round = 0; round <= candidates.size(); round++) {
      List<LoadedAnyway.Going> lines = new ArrayList<>();
      Set<String> going = new HashSet<>(fixedModules);
      Set<Attribution.Account> leaving = new HashSet<>(told);
      for (Attribution.Account account : leaving) {
        lines.add(new LoadedAnyway.Going(account.file.moduleName(), Set.copyOf(account.site.modules())));
        trees.get(account).roots().forEach(root -> addModules(root, going));
      }
      result.clear();
      Set<Attribution.Account> stillTold = new HashSet<>();
      for (Attribution.Account account : candidates) {
        if (!told.contains(account)) {
          result.put(account, Optional.empty());
          continue;
        }
        checkCancelled.run();
        List<UnusedPart.ImportedElsewhere> loads = loadsAnyway(trees.get(account), anyway, lines, going);
        Optional<Finding> finding = loads.isEmpty() ? Optional.of(found.get(account))
            : finding(account, trees.get(account), costs.get(account), usage, target, origin(account, profiles),
                remedies, loads);
        if (!loads.isEmpty()) {
          finding = together(account, finding.orElse(null), loads, leaving, attribution, anyway, lines, going,
              trees.get(account), costs.get(account), usage, runs, target, profiles, remedies);
        }
        result.put(account, finding);
        finding.ifPresent(present -> stillTold.add(account));
      }
      if (stillTold.equals(told)) {
        break;
      }
      told = stillTold;
    }
    return result;
  }

  /**
   * The finding of a line whose saving other import lines of the app take away, as they load its modules too
   * ({@code import pandas} in two files), when those lines could go as well ({@link #couldGoTogether}): the
   * saving of all of them going, reported on this line with the others named and the fix kinds of each line
   * ({@link Finding#together()}: {@code coldspy fix} applies them all or none; this line alone would save
   * nothing, so the finding has no fix of its own). Lines are added while what is left of the saving still loads
   * anyway through a line that could go (three files importing pandas). When this line keeps a saving of its own
   * ({@code alone}), that finding is returned, with the saving together named where it is much larger. Empty
   * when neither.
   */
  private Optional<Finding> together(Attribution.Account account, Finding alone,
      List<UnusedPart.ImportedElsewhere> loads,
      Set<Attribution.Account> leaving, Attribution attribution, LoadedAnyway anyway, List<LoadedAnyway.Going> lines,
      Set<String> going, ImportTree tree, StatementCost cost, UsageIndex usage, ModuleRuns runs,
      PythonVersion target, ProfileSet profiles, UnusedPartRule.Remedies remedies) {
    HandlerSpec entry = profiles.app().handler() == null ? null : HandlerSpec.parse(profiles.app().handler());
    List<Companion> companions = new ArrayList<>();
    Set<Attribution.Account> taken = new HashSet<>();
    List<LoadedAnyway.Going> allGoing = new ArrayList<>(lines);
    List<UnusedPart.ImportedElsewhere> rest = loads;
    boolean added = true;
    while (added && !rest.isEmpty()) {
      added = false;
      for (Attribution.Account other : attribution.accounts()) {
        // (the line and those leaving may be judged as their views with app modules: the same statements)
        if (other.site == account.site || leaving.contains(other)
            || leaving.contains(other.withAppModules().orElse(null)) || taken.contains(other)
            || !other.importStatement) {
          continue;
        }
        List<UnusedPart.ImportedElsewhere> left = rest;
        boolean takesSaving = left.stream().anyMatch(load -> load.keptBy().equals(other.file.moduleName())
            && other.site.modules().contains(load.keptThrough()));
        List<ImportSite> sites = takesSaving ? couldGoTogether(other, runs, usage, cost.usage(), entry) : List.of();
        if (!sites.isEmpty()) {
          taken.add(other);
          sites.forEach(site -> companions.add(new Companion(other.file, site)));
          allGoing.add(new LoadedAnyway.Going(other.file.moduleName(), Set.copyOf(other.site.modules())));
          added = true;
        }
      }
      if (added) {
        rest = loadsAnyway(tree, anyway, allGoing, going);
      }
    }
    if (companions.isEmpty()) {
      return Optional.ofNullable(alone);
    }
    String named = companions.stream().map(Companion::where).collect(Collectors.joining(", "));
    String spelled = companions.stream().map(other -> other.where() + " (`" + other.site().text() + "`)")
        .collect(Collectors.joining(", "));
    String remedy = remedy(account.site) + " this line and " + companions.stream()
        .map(other -> remedy(other.site()) + " " + other.where()).collect(Collectors.joining(", ")) + " together";
    Optional<Finding> both = finding(account, tree, cost, usage, target, origin(account, profiles), remedies, rest);
    if (alone != null) {
      // The line keeps a saving, and a fix, of its own: it is reported so, and a much larger saving together is
      // named (after this line's fix, a new profile finds the other lines' findings).
      return Optional.of(both.filter(together -> together.savingUs() >= TOGETHER_NAMED_RATIO * alone.savingUs()
              && together.savingUs() - alone.savingUs() >= settings.minMs() * 1000)
          .map(together -> {
            String suffix = "; ~" + Units.roundMs(together.savingUs()) + " with " + named;
            return new Finding(alone.cost(), alone.rule(), alone.severity(),
                alone.message().length() + suffix.length() <= Classifier.MESSAGE_LIMIT ? alone.message() + suffix
                    : alone.message(),
                alone.detail() + " Together with " + spelled + ", which load" + (companions.size() == 1 ? "s" : "")
                    + " the same modules and could go as well, it saves ~" + Units.roundMs(together.savingUs())
                    + ": " + remedy + ".",
                alone.estimate(), alone.savingFormula(), alone.confident(), alone.borderline(), alone.useSites(),
                alone.fixes(), alone.knowledge(), alone.whyNoFix(), List.of());
          })
          .orElse(alone));
    }
    return both
        .map(together -> {
          List<Finding.TogetherLine> fixedTogether = together.fixes().isEmpty() ? List.of()
              : togetherLines(account, together, companions, target);
          String message = together.message();
          String byFileName = companions.stream().map(Companion::shortWhere).collect(Collectors.joining(", "));
          for (String suffix : List.of("; with " + named, "; with " + byFileName, "; with " + companions.size()
              + " more line" + (companions.size() == 1 ? "" : "s"))) {
            if (message.length() + suffix.length() <= Classifier.MESSAGE_LIMIT) {
              message += suffix;
              break;
            }
          }
          return new Finding(together.cost(), together.rule(), together.severity(), message,
              together.detail() + " Only together with " + spelled + ", which load" + (companions.size() == 1 ? "s" : "")
                  + " the same modules and could go as well (their names are not used at import time): removing"
                  + " or deferring this line alone does not avoid them.",
              together.estimate(), together.savingFormula(), together.confident(), together.borderline(), together.useSites(),
              List.of(), together.knowledge(), fixedTogether.isEmpty()
                  ? "the saving needs " + named + " to go too, and no fix applies to every line: " + remedy
                  : "the saving needs " + named + " to go too: " + remedy + " (`coldspy fix` applies them together)",
              fixedTogether);
        });
  }

  /**
   * The finding's line with the fix kinds of its verdict, then each line it goes together with, with the kinds
   * its names' use allows (removed, lazy-loaded, guarded for annotations); empty when one of them has none.
   */
  private List<Finding.TogetherLine> togetherLines(Attribution.Account account, Finding together,
      List<Companion> companions, PythonVersion target) {
    List<Finding.TogetherLine> lines = new ArrayList<>();
    lines.add(new Finding.TogetherLine(account.site.ref(), account.file.displayPath(), account.site.oneBasedLine(),
        together.fixes()));
    for (Companion companion : companions) {
      List<FixKind> kinds = fixes(together.rule(), companion.site(), null, target, false);
      if (kinds.isEmpty()) {
        return List.of();
      }
      lines.add(new Finding.TogetherLine(companion.site().ref(), companion.file().displayPath(),
          companion.site().oneBasedLine(), kinds));
    }
    return lines;
  }

  /** An import statement of the app that goes together with a finding's line, and its file. */
  private record Companion(SourceFile file, ImportSite site) {
    String where() {
      return file.displayPath() + ":" + site.oneBasedLine();
    }

    /** {@code reports.py:2}: the file's name alone, where the whole path does not fit a message. */
    String shortWhere() {
      String path = file.displayPath();
      return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) + ":" + site.oneBasedLine();
    }
  }

  /**
   * The statements of {@code other}'s file that load what it loads (all of them: {@link LoadedAnyway.Going}
   * tells them apart by what they load), when every one could go from init: at module level, not under
   * {@code if TYPE_CHECKING:} (those load nothing), their names not used at import time, and, for a line to
   * lazy-load, no function of the file called at init by another module (the functions a lazy import would move
   * it into run then; a line removed or guarded for annotations moves nothing into them).
   * Their modules must be used in no more cold starts than the finding's line's (else the saving moves into
   * more first requests than estimated), and their names not in the handler function itself, which runs on
   * every request (a class or constant used there runs no code of its module: the usage signal cannot see
   * it). Empty otherwise.
   *
   * @param used how the finding's line's modules were used
   * @param entry the profiled handler, if known
   */
  private static List<ImportSite> couldGoTogether(Attribution.Account other, ModuleRuns runs, UsageIndex usage,
      UsageEvidence used, HandlerSpec entry) {
    if (usage.evidence(other.site.targets()).coldStartsUsed() > used.coldStartsUsed()) {
      return List.of();
    }
    boolean functionsRunAtInit = runs.initUse(List.of(other.file.moduleName())).any();
    boolean handlerFile = entry != null && entry.isHandlerFile(other.file.relativePath(), other.file.moduleName());
    Set<String> loads = Set.copyOf(other.site.modules());
    List<ImportSite> sites = new ArrayList<>();
    for (ImportSite site : other.file.imports()) {
      if (!site.moduleLevel() || site.typeCheckingOnly() || !Set.copyOf(site.modules()).equals(loads)) {
        continue;
      }
      // (a line removed, or guarded for annotations that never run, moves nothing into the functions run at init)
      if (!NOT_USED_AT_IMPORT.contains(site.staticUse())
          || (functionsRunAtInit && site.staticUse() == StaticUse.FUNCTIONS_ONLY) || (handlerFile
          && site.references().stream().anyMatch(reference -> entry.function().equals(reference.function())))) {
        return List.of();
      }
      sites.add(site);
    }
    return sites;
  }

  /** What takes a statement out of init, by how its names are used. */
  private static String remedy(ImportSite site) {
    return switch (site.staticUse()) {
      case UNREFERENCED -> "remove";
      case FUNCTIONS_ONLY -> "lazy-load";
      case ANNOTATIONS_ONLY -> "guard under `if TYPE_CHECKING:`";
      default -> "defer";
    };
  }

  /**
   * What of an app statement's modules other code that stays imports too ({@link LoadedAnyway}): removing or
   * deferring the statement does not avoid those.
   *
   * @param told the app's import lines that findings tell to remove or defer, the statement's own among them
   * @param going the modules those lines loaded first
   */
  private static List<UnusedPart.ImportedElsewhere> loadsAnyway(ImportTree tree, LoadedAnyway anyway,
      List<LoadedAnyway.Going> told, Set<String> going) {
    List<UnusedPart.ImportedElsewhere> loads = new ArrayList<>();
    for (ImportTree.Node root : tree.roots()) {
      // the statement's other roots go too (`import a, b`): only this root's modules are the part
      Set<String> own = new HashSet<>();
      addModules(root, own);
      Set<String> goingToo = new HashSet<>(going);
      goingToo.removeAll(own);
      loads.addAll(anyway.in(root, null, List.of(), told, goingToo));
    }
    loads.sort(Comparator.comparingDouble((UnusedPart.ImportedElsewhere sub) -> -sub.costUs())
        .thenComparing(UnusedPart.ImportedElsewhere::module));
    return loads;
  }

  private static void addModules(ImportTree.Node node, Set<String> modules) {
    node.forEachInSubTree(inSubTree -> modules.add(inSubTree.module()));
  }

  /** The self time of the library's modules inside the sub-trees that load anyway. */
  private static double loadsAnywayIn(String library, ImportTree tree, List<UnusedPart.ImportedElsewhere> loads) {
    Set<String> roots = new HashSet<>();
    loads.forEach(load -> roots.add(load.module()));
    double[] total = {0};
    for (ImportTree.Node root : tree.roots()) {
      addLoadsAnywayIn(library, root, roots, false, total);
    }
    return total[0];
  }

  private static void addLoadsAnywayIn(String library, ImportTree.Node node, Set<String> roots, boolean inside,
      double[] total) {
    boolean anyway = inside || roots.contains(node.module());
    double selfUs = node.costUs();
    for (ImportTree.Node child : node.children()) {
      selfUs -= child.costUs();
      addLoadsAnywayIn(library, child, roots, anyway, total);
    }
    if (anyway && (node.module().equals(library) || node.module().startsWith(library + "."))) {
      total[0] += Math.max(0, selfUs);
    }
  }

  /**
   * @param loadsAnyway the sub-trees of what the statement loaded that other code imports too: not counted as
   *     its cost, and named in the finding's detail
   */
  private Optional<Finding> finding(
      Attribution.Account account, ImportTree tree, StatementCost cost, UsageIndex usage, PythonVersion target,
      StatementFacts.Origin origin, UnusedPartRule.Remedies remedies, List<UnusedPart.ImportedElsewhere> loadsAnyway) {
    ImportSite site = account.site;
    List<String> used = usedModules(account, tree);
    boolean ignored = !used.isEmpty() && used.stream().allMatch(settings::ignores);
    if (ignored) {
      return Optional.empty();
    }
    // Where the code uses the modules: the sampled call paths, else the functions that refer to the names.
    List<UseSite> sampled = usage.useSites(used, USE_SITES);
    List<UseSite> useSites = !sampled.isEmpty() ? sampled
        : site.references().subList(0, Math.min(USE_SITES, site.references().size()));
    List<KnowledgeHit> hits = new ArrayList<>();
    for (Map.Entry<LibraryEntry, long[]> hit : account.hitCostUs.entrySet()) {
      LibraryEntry entry = hit.getKey();
      double hitUs = Distribution.of(hit.getValue()).median();
      if (!loadsAnyway.isEmpty()) {
        hitUs = Math.max(0, hitUs - loadsAnywayIn(entry.module(), tree, loadsAnyway));
      }
      hits.add(new KnowledgeHit(entry, hitUs, account.hitPath.get(entry), usage.evidence(List.of(entry.module()))));
    }
    hits.sort(Comparator.comparingDouble((KnowledgeHit h) -> -h.costUs()).thenComparing(h -> h.entry().module()));
    double anywayUs = loadsAnyway.stream().mapToDouble(UnusedPart.ImportedElsewhere::costUs).sum();
    StatementFacts facts = new StatementFacts(
        subject(account),
        Math.max(0, cost.costMedianUs() - anywayUs),
        Math.max(0, cost.costP90Us() - anywayUs),
        Distribution.of(account.compileUs).median(),
        cost.usage(),
        site.staticUse(),
        hits,
        useSites.isEmpty() ? null : useSites.get(0).location(),
        origin,
        account.importStatement,
        cost.initUse(),
        tree,
        lessWhatLoadsAnyway(cost.unusedParts(), tree, loadsAnyway),
        remedies);
    return Classifier.classify(facts, settings)
        .filter(verdict -> !site.suppresses(verdict.rule().code()) && !settings.ignores(verdict.rule()))
        .map(verdict -> {
          LibraryEntry entry = null;
          if (verdict.rule() == RuleCode.FEATURE_REDUNDANCY || verdict.rule() == RuleCode.LIBRARY_CHOICE) {
            entry = hits.stream().filter(h -> h.entry().rule() == verdict.rule())
                .map(KnowledgeHit::entry).findFirst().orElse(null);
          }
          // A statement that is no import has no names to move: only its message's advice applies.
          List<FixKind> fixes = account.importStatement
              ? fixes(verdict.rule(), site, entry, target, cost.initUse().any()) : List.of();
          String detail = withAppModulesNote(account, verdict.detail());
          detail = loadsAnyway.isEmpty() ? detail : detail + " Not counted: "
              + Units.ms(cost.costMedianUs()) + " paid by this line, of which " + LoadedAnyway.describe(loadsAnyway,
              anywayUs) + ", so removing or deferring this line does not avoid it.";
          return new Finding(cost, verdict.rule(), severity(verdict, cost.costMedianUs(), lowestCostUs(account)),
              verdict.message(), detail, verdict.estimate(), verdict.savingFormula(), verdict.confident(),
              verdict.borderline(), useSites, fixes, entry,
              fixes.isEmpty() ? whyNoFix(verdict.rule(), account, cost.initUse().any()) : "", List.of());
        });
  }

  /**
   * Says which lines of the app modules a statement loads are counted with it ({@link
   * Attribution.Account#withAppModules()}), heaviest first.
   */
  private static String withAppModulesNote(Attribution.Account account, String detail) {
    if (account.through.isEmpty()) {
      return detail;
    }
    List<Attribution.Account> lines = account.through.stream()
        .sorted(Comparator.comparingDouble((Attribution.Account line) -> -Distribution.of(line.costUs).median()))
        .toList();
    List<String> named = new ArrayList<>();
    for (Attribution.Account line : lines.subList(0, Math.min(THROUGH_NAMED, lines.size()))) {
      named.add(line.file.displayPath() + ":" + line.site.oneBasedLine() + " (" + subject(line) + ", "
          + Units.ms(Distribution.of(line.costUs).median()) + ")");
    }
    if (lines.size() > THROUGH_NAMED) {
      named.add((lines.size() - THROUGH_NAMED) + " more");
    }
    return detail + " Counted with it: what the app modules it loads import through their own lines, "
        + String.join(", ", named) + "; they load when this line runs, and not before.";
  }

  /**
   * The unused parts with what of them loads anyway through code that stays taken from their saving: a part
   * inside a sub-tree that loads anyway saves nothing, one holding such sub-trees saves the rest. Found on a
   * never-used boto3 whose line, once an annotation-only {@code from botocore.client import BaseClient} kept most
   * of botocore, read "unused parts save ~85 ms" for a line that saved 37 ms.
   */
  private static List<UnusedPart> lessWhatLoadsAnyway(List<UnusedPart> parts, ImportTree tree,
      List<UnusedPart.ImportedElsewhere> loadsAnyway) {
    if (loadsAnyway.isEmpty() || parts.isEmpty()) {
      return parts;
    }
    Map<String, String> parentOf = new HashMap<>();
    for (ImportTree.Node root : tree.roots()) {
      root.forEachInSubTree(node -> node.children().forEach(child -> parentOf.put(child.module(), node.module())));
    }
    Map<String, UnusedPart.ImportedElsewhere> loadByRoot = new HashMap<>();
    loadsAnyway.forEach(load -> loadByRoot.put(load.module(), load));
    List<UnusedPart> reduced = new ArrayList<>();
    for (UnusedPart part : parts) {
      UnusedPart.ImportedElsewhere around = null;
      for (String at = part.module(); at != null && around == null; at = parentOf.get(at)) {
        around = loadByRoot.get(at);
      }
      List<UnusedPart.ImportedElsewhere> elsewhere = new ArrayList<>();
      if (around != null) {
        elsewhere.add(new UnusedPart.ImportedElsewhere(part.module(), around.importer(), part.costUs(),
            around.keptBy(), around.keptThrough()));
      } else {
        Set<String> covered = new HashSet<>();
        for (UnusedPart.ImportedElsewhere own : part.importedElsewhere()) {
          elsewhere.add(own);
          covered.add(own.module());
        }
        for (UnusedPart.ImportedElsewhere load : loadsAnyway) {
          if (insideAny(load.module(), Set.of(part.module()), parentOf)
              && !insideAny(load.module(), covered, parentOf)) {
            elsewhere.add(load);
            covered.add(load.module());
          }
        }
        elsewhere.removeIf(sub -> insideAny(parentOf.get(sub.module()), covered, parentOf));
      }
      reduced.add(new UnusedPart(part.module(), part.costUs(), part.moduleCount(), part.libraryLine(), part.chain(),
          part.knowledge(), part.bringsIn(), elsewhere));
    }
    reduced.sort(Comparator.comparingDouble(UnusedPart::savingUs).reversed());
    return reduced;
  }

  /** Whether {@code module} is one of {@code ancestors} or lies below one of them in the tree. */
  private static boolean insideAny(String module, Set<String> ancestors, Map<String, String> parentOf) {
    for (String at = module; at != null; at = parentOf.get(at)) {
      if (ancestors.contains(at)) {
        return true;
      }
    }
    return false;
  }

  /**
   * By the estimated saving's lower bound: the saving scaled to the statement's cost in its fastest cold start,
   * which machine load inflates least, so that a busy machine does not turn a warning into an error. A
   * borderline finding and a usage-unknown one (no estimate) are information.
   */
  private Severity severity(Verdict verdict, double costMedianUs, double lowestCostUs) {
    if (!verdict.rule().estimatesSaving() || verdict.borderline()) {
      return Severity.INFO;
    }
    return settings.severityFor(savingLowerBoundUs(verdict, costMedianUs, lowestCostUs) / 1000);
  }

  /** The saving scaled by the fastest cold start's cost over the median cost (at most the saving itself). */
  static double savingLowerBoundUs(Verdict verdict, double costMedianUs, double lowestCostUs) {
    return costMedianUs <= 0 ? verdict.savingUs() : verdict.savingUs() * Math.min(1, lowestCostUs / costMedianUs);
  }

  private static double lowestCostUs(Attribution.Account account) {
    return Distribution.of(account.costUs).min();
  }

  /** Why none of the rule's fix kinds can apply to the statement: what {@link #fixes} found. */
  private static String whyNoFix(RuleCode rule, Attribution.Account account, boolean usedAtInit) {
    ImportSite site = account.site;
    if (!account.importStatement) {
      return "the line is no import statement (it imports while it runs): there is no import to move or remove";
    }
    if (rule == RuleCode.UNUSED_PART) {
      return "the unused part is imported inside the library, not on this line";
    }
    if (!site.moduleLevel()) {
      return "the import is inside a function already, which runs at init";
    }
    if (site.staticUse() == StaticUse.MODULE_LEVEL || usedAtInit) {
      return "code that runs at init (module level, or a function it calls) uses its names, so it can be neither"
          + " deferred nor removed";
    }
    return "no automatic fix applies to this " + rule.code() + " finding";
  }

  /** The fix kinds of the rule that can apply to this statement at all (the fix engine decides safety). */
  private List<FixKind> fixes(RuleCode rule, ImportSite site, LibraryEntry entry, PythonVersion target,
      boolean usedAtInit) {
    FixSituation situation = new FixSituation(
        rule,
        site.moduleLevel(),
        site.staticUse() == StaticUse.UNREFERENCED,
        // used at init by a function module-level code calls: moving the import into it saves nothing
        site.staticUse() == StaticUse.MODULE_LEVEL || usedAtInit,
        site.staticUse() == StaticUse.ANNOTATIONS_ONLY,
        target.compareTo(PythonVersion.PEP_810) >= 0,
        entry != null && entry.rewrites().stream().anyMatch(r -> r.validFor(target)));
    return rule.fixes().stream().filter(kind -> kind.appliesTo(situation)).toList();
  }

  /**
   * Whether the statement's modules are the standard library's (a target module's origin lies in the
   * interpreter's lib/pythonX.Y, outside site- or dist-packages), only compiled extensions, or Python code.
   */
  private static StatementFacts.Origin origin(Attribution.Account account, ProfileSet profiles) {
    List<String> targets = account.site.targets();
    for (String target : targets) {
      ModuleStats stats = profiles.modules().get(target);
      if (stats != null && stats.file() != null && PathMapper.isStandardLibrary(stats.file())) {
        return StatementFacts.Origin.STANDARD_LIBRARY;
      }
    }
    boolean anyFile = false;
    for (String name : account.modules.keySet()) {
      ModuleStats stats = profiles.modules().get(name);
      if (stats == null || stats.file() == null || !UsageIndex.under(name, targets)) {
        continue;
      }
      anyFile = true;
      if (!stats.file().endsWith(".so") && !stats.file().endsWith(".pyd")) {
        return StatementFacts.Origin.PYTHON;
      }
    }
    return anyFile ? StatementFacts.Origin.NATIVE : StatementFacts.Origin.PYTHON;
  }

  /** The configured target, else the profiled interpreter's version, else {@link PythonVersion#DEFAULT_TARGET}. */
  public PythonVersion targetPython(ProfileSet profiles) {
    Optional<PythonVersion> configured = settings.targetPython();
    if (configured.isPresent()) {
      return configured.get();
    }
    for (Profile profile : profiles.profiles()) {
      String version = profile.environment().pythonVersion();
      Matcher m = version == null ? null : MAJOR_MINOR.matcher(version);
      if (m != null && m.lookingAt()) {
        return PythonVersion.parse(m.group());
      }
    }
    return PythonVersion.DEFAULT_TARGET;
  }

  private static String subject(Attribution.Account account) {
    ImportSite site = account.site;
    if (!account.importStatement) {
      return "`" + site.text() + "`";
    }
    return site.targets().isEmpty() ? site.text() : String.join(", ", site.targets());
  }

  /**
   * Imports made by calls outside any import statement (unpickling at module level) that no statement pays
   * for, because the profile does not name the module-level statement behind the call: said when they cost at
   * least {@code min-ms}, rather than hidden in the unattributed part of init.
   */
  private Optional<String> unchargedCallsNote(Attribution attribution, ProfileSet profiles) {
    double medianUs = Distribution.of(attribution.unchargedCallUs()).median();
    if (medianUs < settings.minMs() * 1000 || attribution.unchargedCallExamples().isEmpty()) {
      return Optional.empty();
    }
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, Trigger> example : attribution.unchargedCallExamples().entrySet()) {
      if (examples.size() == 3) {
        examples.add("…");
        break;
      }
      examples.add(example.getKey() + " from " + CodePaths.display(example.getValue().file(), profiles.app().root())
          + ":" + example.getValue().line());
    }
    return Optional.of(Units.ms(medianUs) + " of init was imported by calls outside any import statement ("
        + String.join(", ", examples) + ") and is charged to no statement: the profiles do not name the"
        + " module-level statement that made the call (profile again with the current agent to charge it)");
  }

  private HandlerSummary summary(ProfileSet profiles, UsageIndex usage, List<Finding> findings,
      List<StatementCost> statements, List<String> notes, List<FixedSinceProfiling> fixed,
      CompileFinding compile) {
    double attributable = 0;
    Estimate saving = Estimate.NONE;
    for (Finding finding : findings) {
      attributable += finding.cost().costMedianUs();
      if (finding.rule().estimatesSaving()) {
        saving = saving.plus(finding.estimate());
      }
    }
    if (profiles.idleColdStarts() == profiles.coldStartCount()) {
      notes.add("no cold start served an invocation: usage unknown; costly imports are reported as "
          + RuleCode.USAGE_UNKNOWN.code() + " without guessing their use");
    } else if (!profiles.usageKnown()) {
      notes.add("no samples: usage unknown (the profiles are " + kinds(profiles)
          + "); costly imports are reported as " + RuleCode.USAGE_UNKNOWN.code() + " without guessing their use");
    } else if (!usage.known()) {
      notes.add("no execution-phase samples and no exact usage signal: usage unknown; costly imports are"
          + " reported as " + RuleCode.USAGE_UNKNOWN.code() + " without guessing their use");
    } else if (!profiles.exactInEveryColdStart()) {
      SampledColdStarts withoutExact = profiles.coldStartsWithoutExactUsage();
      long samples = withoutExact.executionSamples();
      int coldStarts = withoutExact.coldStarts();
      int exactColdStarts = profiles.coldStartsWithExactUsage();
      if (samples < (long) settings.denseSamplesPerColdStart() * coldStarts) {
        notes.add("samples are sparse: " + Units.count(samples)
            + (samples == 1 ? " execution sample" : " execution samples") + " over " + coldStarts
            + (coldStarts == 1 ? " cold start" : " cold starts")
            + (exactColdStarts == 0 ? " and no exact usage signal"
                : " without an exact usage signal (" + exactColdStarts + " more had one)")
            + ", so 'never used' is not claimed from samples alone");
      }
    }
    double statementsTotal = 0;
    for (StatementCost statement : statements) {
      statementsTotal += statement.costMedianUs();
    }
    for (FixedSinceProfiling moved : fixed) {
      statementsTotal += moved.costUs(); // attributable to the statements as they were when profiled
    }
    int restored = 0;
    int aheadOfRequests = 0;
    for (Profile profile : profiles.profiles()) {
      if (profile.environment().restoredFromSnapshot()) {
        restored += profile.coldStarts().size();
      }
      if (profile.environment().initializedAheadOfRequests()) {
        aheadOfRequests += profile.coldStarts().size();
      }
    }
    if (restored > 0) {
      notes.add("restored from a SnapStart snapshot: " + restored + " of " + profiles.coldStartCount()
          + (profiles.coldStartCount() == 1 ? " cold start" : " cold starts") + ". A snapshot's init runs once,"
          + " when the snapshot is made, and a restore takes its place in every cold start restored from it: the"
          + " savings shown shorten that init and the snapshot to restore, not the restored cold starts themselves");
    }
    if (aheadOfRequests > 0) {
      notes.add("initialized ahead of requests (provisioned concurrency, Lambda Managed Instances): " + aheadOfRequests
          + " of " + profiles.coldStartCount() + (profiles.coldStartCount() == 1 ? " cold start" : " cold starts")
          + ". No caller waited for their init: deferring an import that requests use moves its cost into those"
          + " requests, and what the savings shown shorten there is the time until a new environment is ready");
    }
    if (profiles.idleColdStarts() > 0 && profiles.idleColdStarts() < profiles.coldStartCount()) {
      notes.add(profiles.idleColdStarts() + " of " + profiles.coldStartCount() + " cold starts served no invocation"
          + " (initialized ahead of requests that did not come, or ended during init): their init is counted,"
          + " not in how often a module is used");
    }
    double init = profiles.initUs().median();
    if (init > 0 && statementsTotal < init * 0.5) {
      notes.add("only " + Units.ms(statementsTotal) + " of the " + Units.ms(init)
          + " init time is attributable to import statements of the checked files");
    }
    if (!fixed.isEmpty()) {
      double movedUs = fixed.stream().mapToDouble(FixedSinceProfiling::costUs).sum();
      notes.add(fixed.size() + (fixed.size() == 1 ? " import" : " imports") + " the profile saw at init no longer"
          + " run there (" + Units.ms(movedUs) + "): fixed since profiling — re-profile to confirm");
    }
    for (Profile profile : profiles.profiles()) {
      for (String warning : profile.readerWarnings()) {
        notes.add(profile.source().path() + ": " + warning);
      }
    }
    return new HandlerSummary(
        profiles.app().name(),
        profiles.app().handler(),
        profiles.profiles().size(),
        profiles.coldStartCount(),
        profiles.invocationCount(),
        profiles.initUs(),
        attributable,
        saving,
        notes,
        compile == null ? 0 : compile.compileUs());
  }

  private static String kinds(ProfileSet profiles) {
    SortedSet<String> kinds = new TreeSet<>();
    for (Profile profile : profiles.profiles()) {
      kinds.add(profile.source().kind() == SourceKind.IMPORTTIME ? "-X importtime logs"
          : profile.source().kind().description() + "s without samples");
    }
    return String.join(", ", kinds);
  }
}
