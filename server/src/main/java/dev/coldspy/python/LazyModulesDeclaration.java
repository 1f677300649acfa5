package dev.coldspy.python;

import dev.coldspy.text.SourceText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A module's PEP 810 {@code __lazy_modules__ = ["a", "b.c"]}: on Python 3.15+ each later module-level import
 * of a listed module (for {@code from m import n}, of {@code m}) outside {@code try}/{@code with} is lazy, as if
 * written {@code lazy import}; Python before 3.15 ignores it. Only the form written on one top-level line with
 * a literal list, tuple or set of strings is read; any other binding of the name is {@link #opaque}.
 *
 * @param line 0-based line of the assignment
 * @param modules the listed module names, in order
 * @param insertAt where another entry goes: after the last one (or inside the empty brackets)
 * @param opaque the name is bound in a form this reader does not understand: its content is unknown
 */
public record LazyModulesDeclaration(int line, List<String> modules, int insertAt, boolean opaque) {
  /** The variable's name. */
  public static final String NAME = "__lazy_modules__";

  private static final Pattern LITERAL =
      Pattern.compile("(?m)^__lazy_modules__[ \\t]*=[ \\t]*[\\[({]([^\\])}\\n]*)[\\])}][ \\t]*(#.*)?$");
  private static final Pattern ANY_BINDING = Pattern.compile("(?m)^__lazy_modules__\\b");
  private static final Pattern QUOTED = Pattern.compile("(\"([A-Za-z_][\\w.]*)\"|'([A-Za-z_][\\w.]*)')");

  /** Whether this declaration makes {@code statement} lazy. */
  public boolean covers(ImportStatement statement) {
    if (opaque || statement.firstLine() <= line || !statement.isModuleLevel() || statement.star()
        || statement.kind() == ImportKind.FUTURE
        || statement.context().inTryStatement() || statement.context().inWithStatement()) {
      return false;
    }
    if (statement.kind() == ImportKind.FROM) {
      return modules.contains(statement.module());
    }
    return statement.names().stream().allMatch(n -> modules.contains(n.written()));
  }

  /** The module's declaration: the first top-level binding of {@link #NAME} that is code, not text in a string. */
  static Optional<LazyModulesDeclaration> find(SourceText text, NodePath.Finder finder) {
    Matcher binding = ANY_BINDING.matcher(text.text());
    while (binding.find()) {
      NodePath path = finder.pathTo(text.offsetToByte(binding.start()));
      if (!path.type(path.leaf()).equals("identifier")) {
        continue;
      }
      int line = text.lineOfOffset(binding.start());
      Matcher literal = LITERAL.matcher(text.text());
      if (!literal.find(binding.start()) || literal.start() != binding.start()) {
        return Optional.of(new LazyModulesDeclaration(line, List.of(), -1, true));
      }
      String entries = literal.group(1);
      String leftover = QUOTED.matcher(entries).replaceAll("").replaceAll("[\\s,]", "");
      boolean emptyTuple = entries.isBlank() && text.text().charAt(literal.start(1) - 1) == '(';
      if (!leftover.isEmpty() || emptyTuple) { // `()` gains an entry only with a comma: leave it to the user
        return Optional.of(new LazyModulesDeclaration(line, List.of(), -1, true));
      }
      List<String> modules = new ArrayList<>();
      int insertAt = literal.start(1);
      Matcher quoted = QUOTED.matcher(entries);
      while (quoted.find()) {
        modules.add(quoted.group(2) != null ? quoted.group(2) : quoted.group(3));
        insertAt = literal.start(1) + quoted.end();
      }
      return Optional.of(new LazyModulesDeclaration(line, List.copyOf(modules), insertAt, false));
    }
    return Optional.empty();
  }
}
