package dev.coldspy.python;

import dev.coldspy.text.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One import statement of a module.
 *
 * @param index position in the {@link ImportIndex} (document order)
 * @param kind import / from-import / future import
 * @param span the statement, including a PEP 810 {@code lazy} prefix
 * @param firstLine 0-based line where the statement starts
 * @param lastLine 0-based line where it ends (parenthesised or backslash-continued statements span lines)
 * @param module for from-imports: the absolute module imported from (relative imports resolved against the
 *     file's package; kept with leading dots when the package is unknown); null for plain imports
 * @param writtenModule for from-imports: the module as written ({@code ..pkg}); null for plain imports
 * @param relativeLevel number of leading dots of a relative from-import, else 0
 * @param names the names bound, in order (empty for a star import)
 * @param star {@code from m import *}
 * @param lazy written with the PEP 810 {@code lazy} soft keyword, or named by the module's {@code
 *     __lazy_modules__} ({@link LazyModulesDeclaration})
 * @param scope the innermost function or class around it, or the module
 * @param context try/except ImportError, TYPE_CHECKING and other conditions around it
 * @param noqa a {@code # noqa} comment on its first or last line
 * @param modulesLoaded modules the statement certainly imports, parents first ({@code import a.b.c} loads
 *     {@code a}, {@code a.b}, {@code a.b.c})
 * @param modulesMaybeLoaded modules it imports if the name is a submodule ({@code from a import c} may load
 *     {@code a.c})
 * @param aloneInBlock the only statement of an indented block (deleting it would need a {@code pass})
 */
public record ImportStatement(
    int index,
    ImportKind kind,
    Span span,
    int firstLine,
    int lastLine,
    String module,
    String writtenModule,
    int relativeLevel,
    List<ImportedName> names,
    boolean star,
    boolean lazy,
    EnclosingScope scope,
    ImportContext context,
    Noqa noqa,
    List<String> modulesLoaded,
    List<String> modulesMaybeLoaded,
    boolean aloneInBlock) {

  /** This statement, lazy by the module's {@code __lazy_modules__}. */
  ImportStatement madeLazy() {
    return new ImportStatement(index, kind, span, firstLine, lastLine, module, writtenModule, relativeLevel, names,
        star, true, scope, context, noqa, modulesLoaded, modulesMaybeLoaded, aloneInBlock);
  }

  public boolean isModuleLevel() {
    return scope.isModule();
  }

  /** The 1-based line a profile would name for this statement. */
  public int profileLine() {
    return firstLine + 1;
  }

  public List<String> boundNames() {
    return names.stream().map(ImportedName::boundName).toList();
  }

  public Optional<ImportedName> name(String boundName) {
    return names.stream().filter(n -> n.boundName().equals(boundName)).findFirst();
  }

  /** The modules the statement certainly or possibly loads, parents first, each once. */
  public List<String> modulesLoadedOrMaybe() {
    List<String> all = new ArrayList<>(modulesLoaded);
    for (String maybe : modulesMaybeLoaded) {
      if (!all.contains(maybe)) {
        all.add(maybe);
      }
    }
    return all;
  }

  /** Whether the statement covers 0-based {@code line}. */
  public boolean coversLine(int line) {
    return firstLine <= line && line <= lastLine;
  }
}
