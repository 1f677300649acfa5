package dev.coldspy.fix;

import dev.coldspy.engine.PythonVersion;
import dev.coldspy.python.Evaluation;
import dev.coldspy.python.FunctionDefinition;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 562 lazy re-export, for a library's package {@code __init__.py} (vendored into the function's folder):
 * a module-level {@code from .drawing import plot} becomes a module {@code __getattr__} that runs the same
 * import on the first access of {@code plot} (or of the submodule attribute {@code drawing}) from outside,
 * caches the names as module globals and returns the one asked for; a {@code __dir__} keeps listing them.
 * {@code from pkg import plot}, {@code pkg.plot} and {@code pkg.drawing} keep working; {@code from pkg import
 * *} resolves every name of {@code __all__} and so still imports the sub-package when they are listed there.
 *
 * <p>A module {@code __getattr__} serves attribute access from outside only, never the module's own global
 * lookups: the fix is refused when the package's own code uses one of the names (or the submodule's name),
 * when it defines {@code __getattr__} or {@code __dir__} already, and under the rules every fix that takes an
 * import away from start-up follows (side effects, dynamic namespace access, rebinding, star imports).
 */
final class LazyReexportFix {
  /** Module {@code __getattr__} and {@code __dir__} exist from Python 3.7 (PEP 562). */
  static final PythonVersion PEP_562 = new PythonVersion(3, 7);

  private LazyReexportFix() {}

  static FixPlan plan(Target target) {
    if (!target.module.identity().packageInit()) {
      return target.refuse("a module `__getattr__` defers re-exports of a package's `__init__.py`; this file is"
          + " not one: lazy-load the import instead");
    }
    if (target.options.targetPython().compareTo(PEP_562) < 0) {
      return target.refuse("a module `__getattr__` (PEP 562) needs Python " + PEP_562 + "+; the target is Python "
          + target.options.targetPython());
    }
    if (target.statement.kind() != ImportKind.FROM) {
      return target.refuse("`" + target.edits.text().slice(target.statement.span()).strip() + "` binds a module,"
          + " not names re-exported from a sub-package");
    }
    Optional<String> refusal = target.movingRefusal().or(() -> stillImportedRefusal(target));
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    if (target.statement.context().conditional() || target.statement.context().inTryStatement()) {
      return target.refuse("conditional import (line " + target.statement.profileLine()
          + "): whether it runs depends on code around it; defer it by hand");
    }
    for (FunctionDefinition function : target.module.functions()) {
      if (function.qualifiedName().equals("__getattr__") || function.qualifiedName().equals("__dir__")) {
        return target.refuse("the package defines `" + function.qualifiedName() + "` already (line "
            + (function.firstLine() + 1) + "); merge the deferred import into it by hand");
      }
    }
    boolean exported = false;
    for (ImportedName name : target.names) {
      for (NameReference reference : target.references(name)) {
        if (reference.evaluation() == Evaluation.ALL_EXPORT) {
          exported = true;
          continue;
        }
        return target.refuse(target.quoted(name) + " is used by the package's own code at "
            + target.edits.where(reference.span()) + ": a module `__getattr__` serves only access from outside");
      }
    }
    SortedSet<String> served = new TreeSet<>(target.names.stream().map(ImportedName::boundName).toList());
    String submodule = directSubmodule(target);
    if (submodule != null && !served.contains(submodule)) {
      Optional<String> use = globalUse(target, submodule);
      if (use.isPresent()) {
        return target.refuse("the package's own code may use its submodule `" + submodule + "` as a global at "
            + use.get() + ": a module `__getattr__` serves only access from outside");
      }
      served.add(submodule);
    }
    List<SpanEdit> edits = List.of(target.edits.deleteStatement(target.statement),
        target.edits.insertLinesAfter(target.statement, block(target, served)));
    return new FixPlan.Safe(target.kind,
        "Defer " + target.names() + " to first access with a module `__getattr__` (PEP 562)", edits,
        exported ? "`from " + target.module.identity().moduleName() + " import *` still imports `"
            + target.statement.writtenModule() + "`: the names are in `__all__`" : "");
  }

  /**
   * Why deferring saves nothing because the sub-package is imported at start-up anyway, or empty: names of the
   * statement left behind, or another module-level statement importing it or one of its submodules.
   */
  private static Optional<String> stillImportedRefusal(Target target) {
    String written = target.statement.writtenModule();
    if (!target.allNames()) {
      return Optional.of("the statement's other names would still import `" + written + "` at start-up: defer"
          + " all of them or none");
    }
    String module = target.statement.module();
    for (ImportStatement other : target.module.imports().moduleLevel()) {
      if (other == target.statement || other.context().typeCheckingOnly()) {
        continue;
      }
      for (String loaded : other.modulesLoaded()) {
        if (loaded.equals(module) || loaded.startsWith(module + ".")) {
          return Optional.of("line " + other.profileLine() + " imports `" + loaded + "` at start-up too: defer it"
              + " as well, or deferring this one saves nothing");
        }
      }
    }
    return Optional.empty();
  }

  /** The generated {@code __getattr__} and {@code __dir__}, at module level. */
  private static List<String> block(Target target, SortedSet<String> served) {
    String indent = target.edits.indentUnit();
    String quoted = String.join(", ", served.stream().map(name -> "\"" + name + "\"").toList());
    String tuple = served.size() == 1 ? "(" + quoted + ",)" : "(" + quoted + ")";
    List<String> updates = new ArrayList<>();
    for (ImportedName name : target.names) {
      updates.add(name.boundName() + "=" + name.boundName());
    }
    return List.of(
        "",
        "",
        "def __getattr__(name):",
        indent + "# Deferred by ColdSpy (PEP 562): `" + target.statement.writtenModule()
            + "` is imported on first access, not with the package.",
        indent + "if name in " + tuple + ":",
        indent + indent + SourceEdits.importText(target.statement, target.names),
        indent + indent + "globals().update(" + String.join(", ", updates) + ")",
        indent + indent + "return globals()[name]",
        indent + "raise AttributeError(f\"module {__name__!r} has no attribute {name!r}\")",
        "",
        "",
        "def __dir__():",
        indent + "return sorted(set(globals()) | {" + quoted + "})");
  }

  /**
   * The name of the package's direct submodule the statement imports from ({@code drawing} for {@code from
   * .drawing import plot} in {@code igraph/__init__.py}), which the import binds as a package attribute too;
   * null otherwise.
   */
  private static String directSubmodule(Target target) {
    String module = target.statement.module();
    String self = target.module.identity().moduleName();
    if (module != null && self != null && module.startsWith(self + ".")) {
      String rest = module.substring(self.length() + 1);
      return rest.contains(".") ? null : rest;
    }
    String written = target.statement.writtenModule();
    if (target.statement.relativeLevel() == 1 && written.length() > 1 && !written.substring(1).contains(".")) {
      return written.substring(1);
    }
    return null;
  }

  /** Where the source mentions {@code name} as a word outside the statement (conservative: any mention). */
  private static Optional<String> globalUse(Target target, String name) {
    SourceText text = target.edits.text();
    Matcher matcher = Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "\\b").matcher(text.text());
    while (matcher.find()) {
      if (!target.statement.span().contains(matcher.start())) {
        return Optional.of("line " + (text.lineOfOffset(matcher.start()) + 1));
      }
    }
    return Optional.empty();
  }
}
