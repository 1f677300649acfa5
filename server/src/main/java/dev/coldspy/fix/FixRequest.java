package dev.coldspy.fix;

import dev.coldspy.rules.FixKind;
import java.util.List;
import java.util.Set;

/**
 * A fix to plan: the import statement starting at {@code statementOffset} (its span's start), the bound names
 * it concerns (empty: all of the statement's names) and the fix kinds to try, in order of preference — the
 * first safe one is applied.
 */
public record FixRequest(int statementOffset, Set<String> names, List<FixKind> kinds) {
  public FixRequest {
    names = Set.copyOf(names);
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("a fix request needs at least one fix kind");
    }
  }

  public FixRequest(int statementOffset, Set<String> names, FixKind kind) {
    this(statementOffset, names, List.of(kind));
  }
}
