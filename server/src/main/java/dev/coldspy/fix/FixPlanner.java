package dev.coldspy.fix;

import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.PythonModule;
import dev.coldspy.rules.FixKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plans safe fixes for an import statement: for a {@link FixKind}, either the text edits or the reason the
 * fix would not be safe. Pure and thread-safe; the module's analyses are cached on the {@link PythonModule}.
 */
public final class FixPlanner {
  private final FixOptions options;

  public FixPlanner(FixOptions options) {
    this.options = options;
  }

  /**
   * Plans one fix.
   *
   * @param module the parsed module
   * @param statement one of {@code module.imports().statements()}
   * @param names bound names of the statement the fix concerns; empty means all of them
   * @param kind the fix
   */
  public FixPlan plan(PythonModule module, ImportStatement statement, Collection<String> names, FixKind kind) {
    List<ImportedName> selected = new ArrayList<>();
    for (ImportedName name : statement.names()) {
      if (names.isEmpty() || names.contains(name.boundName())) {
        selected.add(name);
      }
    }
    for (String name : names) {
      if (statement.name(name).isEmpty()) {
        return new FixPlan.Unsafe(kind, "`" + name + "` is not imported by the statement on line " + statement.profileLine());
      }
    }
    Target target = new Target(module, statement, List.copyOf(selected), options, kind);
    Optional<String> refusal = target.commonRefusal();
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    return switch (kind) {
      case LAZY_LOAD -> LazyLoadFix.plan(target);
      case REMOVE -> RemoveFix.plan(target);
      case TYPE_CHECKING_GUARD -> TypeCheckingGuardFix.plan(target);
      case PEP810_LAZY -> Pep810Fix.plan(target);
      case REPLACE -> ReplaceFix.plan(target);
      case LAZY_REEXPORT -> LazyReexportFix.plan(target);
    };
  }

  /** Plans each of {@code kinds}, in order. */
  public List<FixPlan> planAll(
      PythonModule module, ImportStatement statement, Collection<String> names, Collection<FixKind> kinds) {
    return kinds.stream().map(kind -> plan(module, statement, names, kind)).toList();
  }
}
