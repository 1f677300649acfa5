package dev.coldspy.project;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.AppSources;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LibraryLine;
import dev.coldspy.engine.SourceFile;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.engine.StatementRef;
import dev.coldspy.fix.FixOptions;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.fix.FixPlanner;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.PythonModule;
import dev.coldspy.text.Span;
import dev.coldspy.rules.FixKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The engine's analysis of one project with the texts of one moment (for the editor: open documents as the
 * editor has them, every other file as on disk), and what the command line and the language server ask of
 * it: which statement a finding is about, and the fix plans for it. All files go in together because cost is
 * attributed across files (the first statement to load a module pays for it, wherever it is). Immutable,
 * apart from the fix plans it remembers once planned.
 */
public final class ProjectAnalysis {
  /** One profiled import statement of a file with what the engine says about it. */
  /**
   * A profiled statement of a file with its cost and finding.
   *
   * @param statement the import statement, or null for a module-level statement that is no import (charged
   *     for the imports its calls made: {@code model = joblib.load(...)}), which has no fixes
   * @param span where the statement is in the analysed text
   */
  public record AnalysedStatement(ImportStatement statement, Span span, StatementCost cost, Optional<Finding> finding) {
    /** True for an import statement. */
    public boolean isImport() {
      return statement != null;
    }
  }

  private final Project project;
  private final Map<Path, PythonModule> modules;
  private final Map<String, Path> filesByDisplayPath;
  private final Map<String, Path> filesByRelativePath;
  private final List<SourceFile> sources;
  private final Analysis analysis;
  private final Map<String, PythonModule> modulesByName;
  /** Made when the first fix is planned: the first diagnostics do not wait for what only fixes need. */
  private FixPlanner fixPlanner;
  private final ConcurrentHashMap<StatementRef, List<FixPlan>> plans = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Path, List<AnalysedStatement>> statements = new ConcurrentHashMap<>();

  private ProjectAnalysis(Project project, Map<Path, PythonModule> modules, List<SourceFile> sources,
      Analysis analysis, Map<String, PythonModule> modulesByName) {
    this.project = project;
    Map<String, Path> byDisplayPath = new HashMap<>();
    Map<String, Path> byRelativePath = new HashMap<>();
    modules.keySet().forEach(file -> {
      byDisplayPath.put(project.displayPath(file), file);
      byRelativePath.put(project.relativePath(file), file);
    });
    this.modules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    this.filesByDisplayPath = Map.copyOf(byDisplayPath);
    this.filesByRelativePath = Map.copyOf(byRelativePath);
    this.sources = List.copyOf(sources);
    this.analysis = analysis;
    this.modulesByName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modulesByName));
  }

  /** Analyses the project's files as on disk. */
  public static ProjectAnalysis run(Project project, Consumer<String> problems) {
    return run(project, Map.of(), new ParseCache(), List.of(), problems, () -> { });
  }

  /**
   * Analyses the project with {@code openTexts} overriding the files on disk (an open file of the application
   * outside the project's source list, e.g. a new unsaved module, is added).
   *
   * @param previous earlier analyses of the project, whose engine result is re-used when the import statements
   *     did not change
   * @param problems told about files that could not be read
   * @param checkCancelled called between steps; may throw to abandon the work
   */
  public static ProjectAnalysis run(Project project, Map<Path, String> openTexts, ParseCache parses,
      List<ProjectAnalysis> previous, Consumer<String> problems, Runnable checkCancelled) {
    Map<Path, String> texts = new LinkedHashMap<>();
    for (Path source : project.sources()) {
      String open = openTexts.get(source);
      if (open != null) {
        texts.put(source, open);
      } else {
        parses.diskText(source, problems).ifPresent(text -> texts.put(source, text));
      }
    }
    openTexts.forEach((path, text) -> {
      if (project.contains(path)) {
        texts.putIfAbsent(path, text);
      }
    });
    checkCancelled.run();
    Map<Path, PythonModule> modules = new LinkedHashMap<>();
    List<AppSources.Parsed> parsed = new ArrayList<>();
    for (Map.Entry<Path, String> file : texts.entrySet()) {
      PythonModule module = parses.parse(file.getKey(), file.getValue(), project.moduleIdentity(file.getKey()));
      modules.put(file.getKey(), module);
      parsed.add(new AppSources.Parsed(
          project.displayPath(file.getKey()), project.relativePath(file.getKey()), module));
    }
    checkCancelled.run();
    List<SourceFile> sources = AppSources.of(parsed);
    // The engine is deterministic and sees only the import statements: most keystrokes (in function
    // bodies, comments) leave them equal, and a previous result still holds.
    Analysis analysis = previous.stream()
        .filter(earlier -> earlier.project() == project && earlier.sources().equals(sources))
        .map(ProjectAnalysis::analysis)
        .findFirst()
        .orElseGet(() -> project.engine().analyze(project.profiles(), sources, project.vendored()::contains,
            checkCancelled));
    return new ProjectAnalysis(project, modules, sources, analysis, AppSources.modulesByName(parsed));
  }

  public Project project() {
    return project;
  }

  /** Each file parsed, with the text it was analysed with, in the project's order. */
  public Map<Path, PythonModule> modules() {
    return modules;
  }

  /** What the engine was given: the files' import statements. */
  public List<SourceFile> sources() {
    return sources;
  }

  /** The engine's result. */
  public Analysis analysis() {
    return analysis;
  }

  /** The file a finding or cost names by its display path. */
  public Path fileOf(String displayPath) {
    Path file = filesByDisplayPath.get(displayPath);
    if (file == null) {
      throw new IllegalArgumentException(displayPath + " is not a file of this analysis");
    }
    return file;
  }

  /** Every profiled import statement of a file, in document order, each with its finding if it has one. */
  public List<AnalysedStatement> statements(Path file) {
    return statements.computeIfAbsent(file, this::statementsOf);
  }

  private List<AnalysedStatement> statementsOf(Path file) {
    PythonModule module = modules.get(file);
    if (module == null) {
      return List.of();
    }
    String relativePath = project.relativePath(file);
    Map<StatementRef, Finding> findings = new HashMap<>();
    for (Finding finding : analysis.findings()) {
      if (finding.ref().file().equals(relativePath)) {
        findings.put(finding.ref(), finding);
      }
    }
    List<AnalysedStatement> found = new ArrayList<>();
    for (StatementCost cost : analysis.statements()) {
      if (!cost.ref().file().equals(relativePath)) {
        continue;
      }
      Optional<Finding> finding = Optional.ofNullable(findings.get(cost.ref()));
      if (cost.ref().isImport()) {
        module.imports().statement(cost.ref().index()).ifPresent(statement ->
            found.add(new AnalysedStatement(statement, statement.span(), cost, finding)));
      } else {
        // a statement that is no import: found again by the line its ref names
        int line = -cost.ref().index() - 1;
        module.moduleLevelStatements().stream()
            .filter(span -> module.text().lineOfOffset(span.start()) == line)
            .findFirst()
            .ifPresent(span -> found.add(new AnalysedStatement(null, span, cost, finding)));
      }
    }
    found.sort(Comparator.comparingInt(statement -> statement.span().start()));
    return List.copyOf(found);
  }

  /** The file a statement ref names. */
  public Path fileOf(StatementRef ref) {
    Path file = filesByRelativePath.get(ref.file());
    if (file == null) {
      throw new IllegalArgumentException(ref.file() + " is not a file of this analysis");
    }
    return file;
  }

  /** The statement a ref names, with its cost and finding, if the analysis has it. */
  public Optional<AnalysedStatement> statement(StatementRef ref) {
    Path file = filesByRelativePath.get(ref.file());
    if (file == null) {
      return Optional.empty();
    }
    return statements(file).stream().filter(s -> s.cost().ref().equals(ref)).findFirst();
  }

  /**
   * The fix engine's answer for each fix kind in {@code kinds} (a finding's, in its order of preference) for
   * a statement: edits, or why the fix would not be safe. Planned once per statement.
   */
  public List<FixPlan> fixPlans(StatementRef ref, List<FixKind> kinds) {
    return plans.computeIfAbsent(ref, key -> {
      PythonModule module = modules.get(fileOf(ref));
      ImportStatement statement = module.imports().statement(ref.index()).orElseThrow();
      return fixPlanner().planAll(module, statement, List.of(), kinds);
    });
  }

  /**
   * Where an unused part can be deferred inside a library shipped in the function's folder ({@code coldspy fix
   * --vendored}, the editor's opt-in quick fix): the library's module-level import statement on the part's line
   * and the fix kinds to try, a package {@code __init__.py}'s re-export first as a PEP 562 {@code __getattr__},
   * else the import moved into the functions that use it.
   *
   * @param statement the library file's import statement, addressed like an application's
   */
  public record VendoredFix(StatementRef statement, List<FixKind> kinds) {}

  /** The file of a library line when the library ships in the function's folder (and was analysed), else empty. */
  public Optional<Path> vendoredFile(LibraryLine line) {
    Path file = project.localFile(line.file());
    return modules.containsKey(file) && project.vendored().contains(project.relativePath(file)) ? Optional.of(file)
        : Optional.empty();
  }

  /**
   * How to defer the import at a library line ({@link VendoredFix}); empty when the library is not vendored
   * ({@link #vendoredFile}) or the line holds no module-level import now (the file changed since profiling).
   */
  public Optional<VendoredFix> vendoredFix(LibraryLine line) {
    return vendoredFile(line).flatMap(file -> {
      PythonModule module = modules.get(file);
      List<FixKind> kinds = module.identity().packageInit()
          ? List.of(FixKind.LAZY_REEXPORT, FixKind.LAZY_LOAD) : List.of(FixKind.LAZY_LOAD);
      return module.imports().moduleLevel().stream()
          .filter(statement -> statement.coversLine(line.oneBasedLine() - 1)).findFirst()
          .map(statement -> new VendoredFix(new StatementRef(project.relativePath(file), statement.index()), kinds));
    });
  }

  /** The Python source files the profiles recorded for modules, where they exist on this machine. */
  private Map<String, Path> installedSources() {
    Map<String, Path> found = new HashMap<>();
    project.profiles().modules().forEach((name, stats) -> {
      if (stats.file() != null && stats.file().endsWith(".py")) {
        try {
          Path file = Path.of(stats.file());
          if (file.isAbsolute() && java.nio.file.Files.isRegularFile(file) && !project.contains(file)) {
            found.put(name, file);
          }
        } catch (java.nio.file.InvalidPathException notAPathHere) {
          // recorded on another system (a Windows path on Linux): its source is not here
        }
      }
    });
    return found;
  }

  /** The names of the project's modules that are vendored libraries' files. */
  private Set<String> vendoredModules() {
    Set<PythonModule> vendored = Collections.newSetFromMap(new IdentityHashMap<>());
    modules.forEach((file, module) -> {
      if (project.vendored().contains(project.relativePath(file))) {
        vendored.add(module);
      }
    });
    Set<String> names = new HashSet<>();
    modulesByName.forEach((name, module) -> {
      if (vendored.contains(module)) {
        names.add(name);
      }
    });
    return names;
  }

  /**
   * The fix planner of the project: its target Python, the built-in and the configured side-effect modules,
   * its knowledge file, which of its own modules act when imported (an import of one is not removed), what
   * its modules use of each other, and the installed modules' sources the profiles point to.
   */
  public synchronized FixPlanner fixPlanner() {
    if (fixPlanner == null) {
      fixPlanner = new FixPlanner(new FixOptions(project.targetPython(), FixOptions.DEFAULT_SIDE_EFFECT_MODULES,
          project.knowledge()).forProject(project.settings().sideEffectModules(), modulesByName,
          vendoredModules(), installedSources()));
    }
    return fixPlanner;
  }
}
