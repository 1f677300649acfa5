package dev.coldspy.engine;

import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.ModuleIdentity;
import dev.coldspy.python.NameReference;
import dev.coldspy.python.Noqa;
import dev.coldspy.python.PythonModule;
import dev.coldspy.python.ScopeKind;
import dev.coldspy.python.ScopeModel;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns parsed Python files of one application into the engine's {@link SourceFile}s: the import statements
 * with their positions, the modules they name, and what the scope model says about their names.
 */
public final class AppSources {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern NOQA_WORD = Pattern.compile("noqa", Pattern.CASE_INSENSITIVE);
  /** A statement that is no import is shown up to this many characters. */
  private static final int STATEMENT_TEXT = 80;

  private AppSources() {}

  /**
   * One file of an application.
   *
   * @param displayPath the path shown to the user
   * @param relativePath see {@link SourceFile#relativePath()}
   * @param module the parsed file
   */
  public record Parsed(String displayPath, String relativePath, PythonModule module) {}

  /** The engine's view of the files; all files of the application are needed to know its own packages. */
  public static List<SourceFile> of(List<Parsed> files) {
    Set<String> appPackages = new HashSet<>();
    for (Parsed file : files) {
      String name = moduleName(file);
      appPackages.add(name.split("\\.", 2)[0]);
    }
    List<SourceFile> result = new ArrayList<>();
    for (Parsed file : files) {
      result.add(sourceFile(file, appPackages));
    }
    return result;
  }

  private static SourceFile sourceFile(Parsed file, Set<String> appPackages) {
    PythonModule module = file.module();
    SourceText text = module.text();
    List<ImportSite> sites = new ArrayList<>();
    for (ImportStatement statement : module.imports().statements()) {
      if (statement.kind() == ImportKind.FUTURE) {
        continue;
      }
      int start = statement.span().start();
      int column = start - text.lineStart(statement.firstLine()) + 1;
      sites.add(new ImportSite(
          new StatementRef(file.relativePath(), statement.index()),
          statement.profileLine(),
          column,
          statement.lastLine() + 1,
          WHITESPACE.matcher(text.slice(statement.span())).replaceAll(" ").replace("( ", "(").replace(" )", ")"),
          statement.modulesLoadedOrMaybe(),
          targets(statement, appPackages),
          statement.boundNames(),
          statement.isModuleLevel(),
          statement.context().typeCheckingOnly(),
          statement.context().inTryStatement(),
          staticUse(statement, module, file),
          references(statement, module, file),
          codes(statement.noqa())));
    }
    return new SourceFile(file.displayPath(), file.relativePath(), moduleName(file), sites, module.functions(),
        otherStatements(file), noqaLines(text));
  }

  /** A noqa directive as {@link ImportSite#noqa()} holds it: the codes, upper case; {@code "*"} for a bare one. */
  private static Set<String> codes(Noqa noqa) {
    Set<String> codes = new HashSet<>();
    if (noqa.all()) {
      codes.add("*");
    }
    for (String code : noqa.codes()) {
      codes.add(code.toUpperCase(Locale.ROOT));
    }
    return codes;
  }

  /**
   * The {@code # noqa} directives of a file by 1-based line, read from the physical line as flake8 and ruff
   * read them: what silences a finding that sits on a line rather than on an import statement (CS107 on the
   * handler's {@code def}).
   */
  private static Map<Integer, Set<String>> noqaLines(SourceText text) {
    Map<Integer, Set<String>> lines = new TreeMap<>();
    Matcher word = NOQA_WORD.matcher(text.text());
    while (word.find()) {
      int line = text.lineOfOffset(word.start());
      Noqa noqa = Noqa.parse(text.lineText(line));
      if (noqa.isPresent()) {
        lines.put(line + 1, Set.copyOf(codes(noqa)));
      }
    }
    return lines;
  }

  /**
   * The module's top-level statements that are no imports, as sites that name no module: a call among them
   * may import modules (an unpickle, a model loader), which are charged to it. Their ref's index is the
   * negative 1-based line, which no import statement has.
   */
  private static List<ImportSite> otherStatements(Parsed file) {
    PythonModule module = file.module();
    SourceText text = module.text();
    List<ImportSite> sites = new ArrayList<>();
    for (Span span : module.moduleLevelStatements()) {
      int first = text.lineOfOffset(span.start());
      int last = text.lineOfOffset(Math.max(span.start(), span.end() - 1));
      String written = WHITESPACE.matcher(text.slice(span)).replaceAll(" ").strip();
      // a directive on its first line or on its last (after a closing bracket), as for an import statement
      Set<String> noqa = codes(Noqa.parse(text.lineText(first)));
      noqa.addAll(codes(Noqa.parse(text.lineText(last))));
      sites.add(new ImportSite(
          new StatementRef(file.relativePath(), -(first + 1)),
          first + 1,
          span.start() - text.lineStart(first) + 1,
          last + 1,
          written.length() > STATEMENT_TEXT ? written.substring(0, STATEMENT_TEXT - 3) + "..." : written,
          List.of(),
          List.of(),
          List.of(),
          true,
          false,
          false,
          StaticUse.UNKNOWN,
          List.of(),
          noqa));
    }
    return sites;
  }

  /**
   * What the scope model says about a module-level statement's names. Names of a package's
   * {@code __init__.py} are its public interface, so whether they are used cannot be told from the file.
   */
  static StaticUse staticUse(ImportStatement statement, PythonModule module, Parsed file) {
    if (!statement.isModuleLevel() && statement.scope().kind() == ScopeKind.FUNCTION
        && module.functionsRunAtImport().contains(statement.scope().span())) {
      // inside a function the module's own module-level code calls (DATA = load()): it runs at init, and the
      // names it binds serve that call, so it is used at init whatever the profile saw
      return StaticUse.MODULE_LEVEL;
    }
    if (!statement.isModuleLevel() || statement.star() || file.relativePath().endsWith("__init__.py")) {
      return StaticUse.UNKNOWN;
    }
    ScopeModel scopes = module.scopes();
    List<NameReference> references = new ArrayList<>();
    for (String name : statement.boundNames()) {
      references.addAll(scopes.references(name));
    }
    if (references.isEmpty()) {
      return scopes.dynamicNamespaceAccess().isEmpty() ? StaticUse.UNREFERENCED : StaticUse.UNKNOWN;
    }
    boolean annotationsOnly = true;
    boolean atImportTime = false;
    List<Span> runAtImport = module.functionsRunAtImport();
    for (NameReference reference : references) {
      if (reference.evaluation() == Evaluation.ALL_EXPORT) {
        return StaticUse.MODULE_LEVEL; // re-exported: whoever imports the module may use it at once
      }
      // An annotation Python evaluates at definition time still only serves the type checker: the guard fix
      // quotes it (a string annotation). Not so when a library may read it.
      annotationsOnly &= reference.evaluation().isAnnotation() && !reference.annotationInspected();
      // in a function module-level code calls (TARIFFS = load_tariffs(...)): needed at start-up all the same
      atImportTime |= reference.atImportTime()
          || (reference.function() != null && runAtImport.contains(reference.function().span()));
    }
    if (annotationsOnly) {
      return StaticUse.ANNOTATIONS_ONLY;
    }
    return atImportTime ? StaticUse.MODULE_LEVEL : StaticUse.FUNCTIONS_ONLY;
  }

  /** Where functions of the file refer to the statement's names, in document order. */
  static List<UseSite> references(ImportStatement statement, PythonModule module, Parsed file) {
    if (!statement.isModuleLevel()) {
      return List.of();
    }
    List<UseSite> sites = new ArrayList<>();
    for (String name : statement.boundNames()) {
      for (NameReference reference : module.scopes().references(name)) {
        if (reference.isInFunction() && !reference.evaluation().isAnnotation()) {
          int line = module.text().profileLineOfOffset(reference.span().start());
          sites.add(new UseSite(file.displayPath(), line, reference.function().name(), 0));
        }
      }
    }
    sites.sort((a, b) -> Integer.compare(a.oneBasedLine(), b.oneBasedLine()));
    return sites;
  }

  /**
   * The modules whose code running counts as a use: the top-level package of a library (any of its
   * submodules running means the library is in use), the module itself for the application's own modules.
   */
  static List<String> targets(ImportStatement statement, Set<String> appPackages) {
    List<String> written = new ArrayList<>();
    if (statement.kind() == ImportKind.IMPORT) {
      for (ImportedName name : statement.names()) {
        written.add(name.written());
      }
    } else if (statement.module() != null && !statement.module().startsWith(".")) {
      written.add(statement.module());
    }
    List<String> targets = new ArrayList<>();
    for (String module : written) {
      String top = module.split("\\.", 2)[0];
      String target = appPackages.contains(top) ? module : top;
      if (!targets.contains(target)) {
        targets.add(target);
      }
    }
    return targets;
  }

  /** The files' modules by module name ({@link #moduleName}), in the files' order. */
  public static Map<String, PythonModule> modulesByName(List<Parsed> files) {
    Map<String, PythonModule> modules = new LinkedHashMap<>();
    for (Parsed file : files) {
      modules.put(moduleName(file), file.module());
    }
    return modules;
  }

  /** {@code pkg/mod.py} is {@code pkg.mod}; {@code pkg/__init__.py} is {@code pkg}. */
  public static String moduleName(Parsed file) {
    ModuleIdentity identity = file.module().identity();
    if (identity.moduleName() != null && !identity.moduleName().isEmpty()) {
      return identity.moduleName();
    }
    String path = file.relativePath();
    if (path.endsWith(".py")) {
      path = path.substring(0, path.length() - 3);
    }
    if (path.endsWith("/__init__")) {
      path = path.substring(0, path.length() - "/__init__".length());
    }
    return path.replace('/', '.');
  }
}
