package dev.coldspy.fix;

import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportContext;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameBinding;
import dev.coldspy.python.NameReference;
import dev.coldspy.python.PythonModule;
import dev.coldspy.python.ScopeModel;
import dev.coldspy.rules.FixKind;
import dev.coldspy.text.Span;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What one fix is planned for: a statement, some of its names, the module and the options. */
final class Target {
  final PythonModule module;
  final ImportStatement statement;
  final List<ImportedName> names;
  final FixOptions options;
  final FixKind kind;
  final SourceEdits edits;
  final ScopeModel scopes;

  Target(PythonModule module, ImportStatement statement, List<ImportedName> names, FixOptions options, FixKind kind) {
    this.module = module;
    this.statement = statement;
    this.names = names;
    this.options = options;
    this.kind = kind;
    this.edits = new SourceEdits(module);
    this.scopes = module.scopes();
  }

  FixPlan.Unsafe refuse(String reason) {
    return new FixPlan.Unsafe(kind, reason);
  }

  FixPlan.Safe safe(String title, List<dev.coldspy.text.SpanEdit> textEdits) {
    return new FixPlan.Safe(kind, title, textEdits);
  }

  boolean allNames() {
    return names.containsAll(statement.names());
  }

  /** The module's plain top-level imports that stay: all but the statement when the fix takes all its names. */
  List<ImportStatement> remainingTopLevelImports() {
    return module.imports().moduleLevel().stream()
        .filter(s -> s.context().equals(ImportContext.PLAIN) && !(s == statement && allNames()))
        .toList();
  }

  /**
   * Removes the fix's names from the statement for a fix that adds imports among {@code remaining} (see
   * {@link #remainingTopLevelImports}): without leaving doubled blank lines, or — when no import remains — so
   * that the new ones take the statement's place.
   */
  List<dev.coldspy.text.SpanEdit> removeNamesAmong(List<ImportStatement> remaining) {
    return remaining.isEmpty() ? edits.removeNames(statement, names) : edits.removeNamesClosingTheGap(statement, names);
  }

  List<NameReference> references(ImportedName name) {
    return scopes.references(name.boundName());
  }

  /** Bindings of the name other than by this statement: assignments, del, defs, other imports, global stores. */
  List<NameBinding> otherBindings(ImportedName name) {
    return scopes.bindings(name.boundName()).stream()
        .filter(b -> !(b.kind() == NameBinding.Kind.IMPORT && statement.span().contains(b.span())))
        .toList();
  }

  /** A module of the statement whose import is known to have side effects. */
  private Optional<String> sideEffectModule() {
    List<String> modules =
        statement.kind() == ImportKind.IMPORT
            ? names.stream().map(ImportedName::written).toList()
            : statement.modulesLoaded();
    return modules.stream().filter(options::hasSideEffects).findFirst();
  }

  /**
   * Why the fix would be unsafe because importing a module of the statement has side effects, or empty: a
   * module on the side-effect list, or a module whose source acts when imported (installed, or the project's own,
   * with the project modules it imports at its top).
   */
  Optional<String> sideEffectRefusal(String consequence) {
    Optional<String> listed = sideEffectModule().map(module -> "importing `" + module + "` has side effects"
        + consequence);
    if (listed.isPresent()) {
      return listed;
    }
    List<String> modules =
        statement.kind() == ImportKind.IMPORT
            ? names.stream().map(ImportedName::written).toList()
            : statement.modulesLoadedOrMaybe();
    Set<String> loadedBefore = loadedBeforeByStatementsThatStay();
    for (String module : modules) {
      if (loadedBefore.contains(module)) {
        continue; // its effect happens where it did, at the earlier statement
      }
      Optional<String> effect = options.moduleEffects().effect(module);
      if (effect.isPresent()) {
        return Optional.of("importing `" + module + "` acts beyond defining names (" + effect.get()
            + "), an effect" + consequence);
      }
    }
    return Optional.empty();
  }

  /**
   * The modules the file's plain top-level imports above the statement certainly load: the fix leaves those
   * statements as they are, so importing these modules acts when and where it did ({@code from reportlab.lib
   * import pagesizes} above a deferred {@code from reportlab.pdfgen import canvas} still runs reportlab's
   * package code first).
   */
  private Set<String> loadedBeforeByStatementsThatStay() {
    Set<String> loaded = new HashSet<>();
    for (ImportStatement before : module.imports().moduleLevel()) {
      if (before != statement && before.context().equals(ImportContext.PLAIN)
          && before.lastLine() < statement.firstLine()) {
        loaded.addAll(before.modulesLoaded());
      }
    }
    return loaded;
  }

  /**
   * Why taking the names away from the module's namespace at start-up would break another module of the
   * project (it imports them, reads them as attributes, receives them by a star import, or reads the whole
   * namespace), or empty.
   */
  Optional<String> crossModuleRefusal() {
    String moduleName = module.identity().moduleName();
    boolean exportsAreListed = !scopes.identifiers("__all__").isEmpty();
    for (ImportedName name : names) {
      Optional<String> use = options.projectUses().useFromElsewhere(moduleName, name.boundName(), exportsAreListed);
      if (use.isPresent()) {
        return use;
      }
    }
    return Optional.empty();
  }

  /** Why the fix would be unsafe because the module reads its namespace by string, or empty. */
  Optional<String> dynamicNamespaceRefusal(String consequence) {
    List<Span> access = scopes.dynamicNamespaceAccess();
    return access.isEmpty()
        ? Optional.empty()
        : Optional.of("the module reads its namespace dynamically at " + edits.where(access.get(0)) + consequence);
  }

  /**
   * Why a later module-level {@code from m import *} makes the fix unsafe, or empty: it may rebind the
   * statement's names with whatever {@code m} exports, which no one can tell from this file.
   */
  Optional<String> laterStarImportRefusal() {
    for (ImportStatement other : module.imports().moduleLevel()) {
      if (other.star() && other.span().start() > statement.span().start() && !other.context().typeCheckingOnly()) {
        return Optional.of("`" + edits.text().slice(other.span()).strip() + "` at line " + other.profileLine()
            + " may rebind " + names() + ": which binding the code uses cannot be told statically");
      }
    }
    return Optional.empty();
  }

  /** {@code import a.b} (no alias): binds {@code a}, but is written to load {@code a.b}. */
  static boolean isSubmoduleImport(ImportStatement statement, ImportedName name) {
    return statement.kind() == ImportKind.IMPORT && !name.hasAlias() && name.written().contains(".");
  }

  String quoted(ImportedName name) {
    return "`" + name.boundName() + "`";
  }

  String names() {
    return String.join(", ", names.stream().map(this::quoted).toList());
  }

  /** Why a reference pins the import to start-up, for messages. */
  String describeImportTimeUse(NameReference reference) {
    String where = edits.where(reference.span());
    return switch (reference.evaluation()) {
      case DECORATOR -> "used in a decorator at " + where + ", evaluated when the module is imported";
      case DEFAULT_ARGUMENT -> "used in a default argument at " + where + ", evaluated when the module is imported";
      case BASE_CLASS -> "used as a base class at " + where + ", evaluated when the module is imported";
      case ANNOTATION -> "used in an annotation evaluated at definition time at " + where;
      case ALL_EXPORT -> "exported in `__all__` at " + where + "; `from module import *` needs it";
      default -> "used while the module is imported, at " + where;
    };
  }

  /**
   * A reason common to every fix kind why the statement cannot be fixed, or empty. Checked before any
   * kind-specific rule.
   */
  Optional<String> commonRefusal() {
    if (statement.kind() == ImportKind.FUTURE) {
      return Optional.of("a `from __future__` import changes how the file is compiled; it is never moved");
    }
    if (!statement.isModuleLevel()) {
      return Optional.of(
          "this import is inside "
              + statement.scope().kind().name().toLowerCase()
              + " `"
              + statement.scope().name()
              + "`: it already runs only when that code runs");
    }
    if (statement.context().typeCheckingOnly()) {
      return Optional.of("already under `if TYPE_CHECKING:`: never imported at runtime");
    }
    if (statement.lazy() && kind != FixKind.REMOVE) {
      return Optional.of("already a PEP 810 lazy import");
    }
    for (ImportedName name : names) {
      for (NameReference reference : references(name)) {
        if (reference.inSyntaxError()) {
          return Optional.of(
              quoted(name) + " is used inside a syntax error at " + edits.where(reference.span())
                  + "; fix the syntax first");
        }
      }
    }
    return Optional.empty();
  }

  /** Refusals shared by the fixes that take the import away from module start-up. */
  Optional<String> movingRefusal() {
    if (statement.star()) {
      return Optional.of("a star import binds names no one can list statically; import the names you use instead");
    }
    if (statement.context().importErrorFallback()) {
      return Optional.of(
          "part of a `try/except ImportError` fallback (line " + statement.profileLine()
              + "): moving it would change which module is used");
    }
    Optional<String> refusal = dynamicNamespaceRefusal(", so any name may be used")
        .or(() -> sideEffectRefusal(" the program relies on"))
        .or(this::laterStarImportRefusal)
        .or(this::crossModuleRefusal);
    if (refusal.isPresent()) {
      return refusal;
    }
    for (ImportedName name : names) {
      List<NameBinding> others = otherBindings(name);
      if (!others.isEmpty()) {
        NameBinding other = others.get(0);
        String what =
            switch (other.kind()) {
              case IMPORT -> "imported again";
              case DELETE -> "deleted";
              case DEFINITION -> "redefined";
              case GLOBAL_DECLARATION -> "declared `global` in function `" + (other.function() == null ? "?" : other.function().name()) + "`";
              default -> "reassigned";
            };
        return Optional.of(quoted(name) + " is also " + what + " at " + edits.where(other.span()));
      }
    }
    return Optional.empty();
  }

  /** Whether a reference is evaluated at runtime (not an annotation Python leaves alone). */
  static boolean isRuntime(NameReference reference) {
    return !(reference.evaluation() == Evaluation.ANNOTATION_NOT_EVALUATED
        || reference.evaluation() == Evaluation.STRING_ANNOTATION);
  }
}
