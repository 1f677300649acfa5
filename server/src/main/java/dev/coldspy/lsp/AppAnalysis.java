package dev.coldspy.lsp;

import dev.coldspy.engine.Analysis;
import dev.coldspy.engine.AppSources;
import dev.coldspy.engine.SourceFile;
import dev.coldspy.fix.FixPlan;
import dev.coldspy.fix.FixPlanner;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * The engine's analysis of one project with the texts of one moment: open documents as the editor has them,
 * every other file as on disk. All files go in together because cost is attributed across files (the first
 * statement to load a module pays for it, wherever it is). Findings name files by their path below the
 * application root ({@link #uriOf}). Immutable, apart from the fix plans it remembers once planned.
 */
final class AppAnalysis {
  /** A statement of a file, by its index in the file's import index. */
  private record StatementKey(Path file, int statement) {}

  private final Project project;
  private final Map<Path, PythonModule> modules;
  private final List<SourceFile> sources;
  private final Analysis analysis;
  private final Map<String, PythonModule> modulesByName;
  /** Made when the first fix is planned: the first diagnostics do not wait for what only fixes need. */
  private FixPlanner fixes;
  /**
   * Fix plans per statement, planned when first asked for: diagnostics and code actions of every document
   * analysis built on this project analysis share them (closing a file re-publishes it from an analysis kept
   * from before, and does not plan again).
   */
  private final ConcurrentHashMap<StatementKey, List<FixPlan>> plans = new ConcurrentHashMap<>();

  /**
   * @param project the project
   * @param modules each file parsed, with the text it was analysed with
   * @param sources what the engine was given: the files' import statements
   * @param analysis the engine's result
   * @param modulesByName the project's modules by module name, for the fix planner
   */
  private AppAnalysis(Project project, Map<Path, PythonModule> modules,
      List<SourceFile> sources, Analysis analysis, Map<String, PythonModule> modulesByName) {
    this.project = project;
    this.modules = Map.copyOf(modules);
    this.sources = List.copyOf(sources);
    this.analysis = analysis;
    this.modulesByName = Map.copyOf(modulesByName);
  }

  /**
   * Analyses the project with {@code openTexts} overriding the files on disk (an open file outside the
   * project's source list, e.g. a new unsaved module, is added). {@code previous} are earlier analyses of the
   * project, whose engine result is re-used when the import statements did not change.
   */
  static AppAnalysis run(Project project, Map<Path, String> openTexts, AnalysisContext context,
      List<AppAnalysis> previous, ServerLog log, CancelChecker cancel) {
    Map<Path, String> texts = new LinkedHashMap<>();
    for (Path source : project.sources()) {
      String open = openTexts.get(source);
      if (open != null) {
        texts.put(source, open);
      } else {
        context.parses().diskText(source, log).ifPresent(text -> texts.put(source, text));
      }
    }
    openTexts.forEach(
        (path, text) -> {
          if (project.contains(path)) {
            texts.putIfAbsent(path, text);
          }
        });
    cancel.checkCanceled();
    Map<Path, PythonModule> modules = new LinkedHashMap<>();
    List<AppSources.Parsed> parsed = new ArrayList<>();
    for (Map.Entry<Path, String> file : texts.entrySet()) {
      String relative = project.relativePath(file.getKey());
      PythonModule module = context.parses().parse(file.getKey(), file.getValue(), identity(relative));
      modules.put(file.getKey(), module);
      // Findings name files by their path below the application root, as a user reads them in messages.
      parsed.add(new AppSources.Parsed(relative, relative, module));
    }
    cancel.checkCanceled();
    List<SourceFile> sources = AppSources.of(parsed);
    // The engine is deterministic and sees only the import statements: most keystrokes (in function
    // bodies, comments) leave them equal, and a previous result still holds.
    Analysis analysis = previous.stream()
        .filter(earlier -> earlier.project() == project && earlier.sources().equals(sources))
        .map(AppAnalysis::analysis)
        .findFirst()
        .orElseGet(() -> project.engine().analyze(project.profiles().orElseThrow(), sources, cancel::checkCanceled));
    return new AppAnalysis(project, modules, sources, analysis, AppSources.modulesByName(parsed));
  }

  Project project() {
    return project;
  }

  /** Each file parsed. */
  Map<Path, PythonModule> modules() {
    return modules;
  }

  /** What the engine was given: the files' import statements. */
  List<SourceFile> sources() {
    return sources;
  }

  /** The engine's result. */
  Analysis analysis() {
    return analysis;
  }

  /**
   * The fix engine's answer for each fix kind in {@code kinds} (the finding's, in its order of preference) for
   * a statement of {@code file}: edits, or why the fix would not be safe. Planned once per statement.
   */
  List<FixPlan> fixPlans(Path file, ImportStatement statement, List<FixKind> kinds) {
    return plans.computeIfAbsent(new StatementKey(file, statement.index()),
        key -> fixPlanner().planAll(modules.get(file), statement, List.of(), kinds));
  }

  /**
   * The fix planner, knowing the project's modules (removing an import of one of them that acts when
   * imported is refused) and the configured side-effect modules.
   */
  private synchronized FixPlanner fixPlanner() {
    if (fixes == null) {
      fixes = new FixPlanner(
          project.fixOptions().forProject(project.settings().sideEffectModules(), modulesByName));
    }
    return fixes;
  }

  /** The URI of a file the engine names (by its path below the application root). */
  String uriOf(String displayPath) {
    return TextDocument.uriOf(project.appRoot().resolve(displayPath));
  }

  /**
   * The module a file defines, as {@code sys.path[0] = <application root>} would import it: {@code
   * pkg/mod.py} is {@code pkg.mod}, {@code pkg/__init__.py} is {@code pkg}.
   */
  static ModuleIdentity identity(String relativePath) {
    String path = relativePath.endsWith(".py") ? relativePath.substring(0, relativePath.length() - 3) : relativePath;
    boolean init = path.equals("__init__") || path.endsWith("/__init__");
    if (init) {
      path = path.equals("__init__") ? "" : path.substring(0, path.length() - "/__init__".length());
    }
    return new ModuleIdentity(path.isEmpty() ? null : path.replace('/', '.'), init);
  }
}
