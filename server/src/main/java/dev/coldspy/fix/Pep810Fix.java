package dev.coldspy.fix;

import dev.coldspy.engine.PythonVersion;
import dev.coldspy.python.ImportContext;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.LazyModulesDeclaration;
import dev.coldspy.python.NameReference;
import dev.coldspy.text.SpanEdit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PEP 810 through its compatibility form: the statement's module is added to the file's {@code
 * __lazy_modules__} (created on its own line above the first import, below the docstring and {@code
 * __future__} imports). On Python 3.15+ the imports of a listed module become lazy — the module loads on first
 * use of a name — and older Pythons ignore the list, so the same code still runs there (a {@code lazy import}
 * statement would be a SyntaxError). Module level only; imports inside {@code try}/{@code with} and star
 * imports stay eager. Every module-level import of a listed module in the file becomes lazy, so the fix is
 * refused when any of them binds a name used while the module is imported: that would load it at start-up
 * anyway.
 */
final class Pep810Fix {
  private Pep810Fix() {}

  static FixPlan plan(Target target) {
    ImportStatement statement = target.statement;
    if (target.options.targetPython().compareTo(PythonVersion.PEP_810) < 0) {
      return target.refuse(
          "`__lazy_modules__` (PEP 810) needs Python " + PythonVersion.PEP_810 + "+; the target is Python "
              + target.options.targetPython());
    }
    if (statement.star()) {
      return target.refuse("PEP 810 does not make `from ... import *` lazy");
    }
    if (statement.context().inTryStatement() || statement.context().inWithStatement()) {
      return target.refuse("PEP 810 keeps imports inside `try` or `with` blocks eager");
    }
    if (statement.kind() == ImportKind.FROM && (statement.module() == null || statement.module().startsWith("."))) {
      return target.refuse("`" + statement.writtenModule() + "` is relative to a package the fix cannot name;"
          + " list its full name in `__lazy_modules__` by hand");
    }
    Optional<String> refusal = target.sideEffectRefusal("; a lazy import would delay them")
        .or(() -> target.dynamicNamespaceRefusal(": it would see lazy proxies"));
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    for (ImportedName name : target.names) {
      if (target.references(name).isEmpty() && Target.isSubmoduleImport(statement, name)) {
        return target.refuse(
            "`import " + name.written() + "` is never used by name: it exists to load the submodule, which a lazy"
                + " import would never do");
      }
    }
    Set<String> modules = statement.kind() == ImportKind.FROM
        ? Set.of(statement.module())
        : target.names.stream().map(ImportedName::written).collect(Collectors.toCollection(LinkedHashSet::new));
    Optional<String> usedAtImport = usedAtImportTime(target, modules);
    if (usedAtImport.isPresent()) {
      return target.refuse(usedAtImport.get() + "; the lazy import would be loaded at start-up anyway");
    }
    Optional<LazyModulesDeclaration> declaration = target.module.imports().lazyModules();
    String title = "Make " + target.names() + " lazy with PEP 810 `__lazy_modules__`";
    if (declaration.isEmpty()) {
      return declare(target, modules, title);
    }
    LazyModulesDeclaration existing = declaration.get();
    if (existing.opaque()) {
      return target.refuse("`__lazy_modules__` (line " + (existing.line() + 1) + ") is not a one-line list of"
          + " strings the fix can extend; add " + quotedList(modules) + " to it by hand");
    }
    if (existing.line() > statement.firstLine()) {
      return target.refuse("`__lazy_modules__` is set below this import (line " + (existing.line() + 1)
          + "), which keeps it eager; move it above the imports");
    }
    List<String> added = modules.stream().filter(m -> !existing.modules().contains(m)).toList();
    if (added.isEmpty()) {
      return target.refuse("already listed in `__lazy_modules__` (line " + (existing.line() + 1) + ")");
    }
    String entries = quotedList(added);
    return target.safe(title, List.of(
        SpanEdit.insert(existing.insertAt(), existing.modules().isEmpty() ? entries : ", " + entries)));
  }

  /** A new {@code __lazy_modules__} line above the module's first import (after any future imports). */
  private static FixPlan declare(Target target, Set<String> modules, String title) {
    Optional<ImportStatement> first = target.module.imports().moduleLevel().stream()
        .filter(s -> s.kind() != ImportKind.FUTURE && s.context().equals(ImportContext.PLAIN)
            && target.edits.text().startsLine(s.span().start()))
        .findFirst()
        .filter(s -> s.firstLine() <= target.statement.firstLine());
    if (first.isEmpty()) {
      return target.refuse("no top-level import above this one to put `__lazy_modules__` before; add `"
          + LazyModulesDeclaration.NAME + " = [" + quotedList(modules) + "]` above it by hand");
    }
    int line = first.get().firstLine();
    return target.safe(title, List.of(target.edits.insertLinesAt(target.edits.text().lineStart(line), line,
        List.of(LazyModulesDeclaration.NAME + " = [" + quotedList(modules) + "]"))));
  }

  /**
   * The first name, bound by a module-level import of one of {@code modules} that PEP 810 would make lazy, that
   * is used while the module is imported — described — if any.
   */
  private static Optional<String> usedAtImportTime(Target target, Set<String> modules) {
    for (ImportStatement other : target.module.imports().moduleLevel()) {
      boolean madeLazy = other.kind() == ImportKind.FROM
          ? modules.contains(other.module())
          : other.names().stream().anyMatch(n -> modules.contains(n.written()));
      if (!madeLazy || other.star() || other.context().inTryStatement() || other.context().inWithStatement()) {
        continue;
      }
      for (ImportedName name : other.names()) {
        if (other.kind() == ImportKind.IMPORT && !modules.contains(name.written())) {
          continue;
        }
        for (NameReference reference : target.references(name)) {
          if (reference.atImportTime() && Target.isRuntime(reference)) {
            return Optional.of(target.quoted(name) + " is " + target.describeImportTimeUse(reference)
                + (other == target.statement && target.names.contains(name) ? ""
                    : " (`__lazy_modules__` makes every import of its module in this file lazy)"));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String quotedList(Collection<String> modules) {
    return modules.stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(", "));
  }
}
