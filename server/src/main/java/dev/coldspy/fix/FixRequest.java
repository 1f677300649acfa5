package dev.coldspy.fix;

import dev.coldspy.rules.FixKind;
import java.util.List;
import java.util.Set;

/**
 * A fix to plan in one file: the import statement by its index in the file's import index (the index of its
 * {@link dev.coldspy.engine.StatementRef}), the bound names it concerns (empty: all of the statement's names)
 * and the fix kinds to try, in order of preference — the first safe one is applied.
 */
public record FixRequest(int statement, Set<String> names, List<FixKind> kinds) {
  public FixRequest {
    names = Set.copyOf(names);
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("a fix request needs at least one fix kind");
    }
  }

  public FixRequest(int statement, Set<String> names, FixKind kind) {
    this(statement, names, List.of(kind));
  }
}
