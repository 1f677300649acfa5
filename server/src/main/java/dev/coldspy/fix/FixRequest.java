package dev.coldspy.fix;

import dev.coldspy.rules.FixKind;
import java.util.Set;

/**
 * A fix to plan: the import statement starting at {@code statementOffset} (its span's start), the bound names
 * it concerns (empty: all of the statement's names) and the kind of fix.
 */
public record FixRequest(int statementOffset, Set<String> names, FixKind kind) {
  public FixRequest {
    names = Set.copyOf(names);
  }
}
