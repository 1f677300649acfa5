package dev.coldspy.fix;

import dev.coldspy.python.EnclosingScope;
import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.python.StatementStep;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lazy-load: take the names out of the module-level statement and import them in every function that uses
 * them, right before the first statement that needs them.
 *
 * <p>Where exactly: an import inside a function makes the name local to the whole function, so the inserted
 * statement must run before <em>every</em> use on every path. It goes before the first statement, in the
 * innermost block that contains all the function's uses, that contains a use — a block runs its statements
 * in order, so that point precedes them all. A use behind a rarely-taken branch therefore gets its import
 * inside the branch (the thesis's StreamAlert fix); uses in several branches get it before the branching
 * statement. It is never placed inside a loop (hoisted before the outermost loop, so a hot loop does not
 * re-run the import) nor inside a nested class body (where it would add a class attribute), nor between
 * {@code match} and its {@code case}s (it goes before the {@code match} then). When that
 * statement shares its line with a compound header ({@code if x: y()}) the import is joined with {@code ;}.
 */
final class LazyLoadFix {
  private LazyLoadFix() {}

  static FixPlan plan(Target target) {
    Optional<String> refusal = target.movingRefusal();
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    if (target.statement.context().conditional()) {
      return target.refuse(
          "conditional import (line " + target.statement.profileLine()
              + "): whether it runs depends on code around it; move it by hand");
    }
    Map<EnclosingScope, List<NameReference>> usesByFunction = new LinkedHashMap<>();
    Map<EnclosingScope, Set<ImportedName>> namesByFunction = new LinkedHashMap<>();
    for (ImportedName name : target.names) {
      List<NameReference> references = target.references(name);
      if (references.isEmpty()) {
        return target.refuse(target.quoted(name) + " is never used: remove the import instead of moving it");
      }
      for (NameReference reference : references) {
        if (reference.atImportTime() || reference.evaluation() == Evaluation.ALL_EXPORT) {
          return target.refuse(target.quoted(name) + " is " + target.describeImportTimeUse(reference));
        }
        if (reference.function() == null) {
          String what =
              reference.evaluation().isAnnotation()
                  ? "used in an annotation outside any function at " + target.edits.where(reference.span())
                      + "; type checkers need the module-level name (guard it with TYPE_CHECKING instead)"
                  : "used in a module-level lambda at " + target.edits.where(reference.span())
                      + ", which has no body to import it in";
          return target.refuse(target.quoted(name) + " is " + what);
        }
        usesByFunction.computeIfAbsent(reference.function(), f -> new ArrayList<>()).add(reference);
        namesByFunction.computeIfAbsent(reference.function(), f -> new LinkedHashSet<>()).add(name);
      }
    }
    SourceText text = target.edits.text();
    List<SpanEdit> edits = new ArrayList<>(target.edits.removeNamesClosingTheGap(target.statement, target.names));
    List<String> functions = new ArrayList<>();
    for (Map.Entry<EnclosingScope, List<NameReference>> entry : usesByFunction.entrySet()) {
      EnclosingScope function = entry.getKey();
      List<ImportedName> imported =
          target.statement.names().stream().filter(namesByFunction.get(function)::contains).toList();
      String importText = SourceEdits.importText(target.statement, imported);
      Span before = insertionStatement(function, entry.getValue());
      if (before == null) {
        return target.refuse("could not find a statement in `" + function.name() + "()` to import before");
      }
      if (text.startsLine(before.start())) {
        int line = target.edits.sortedInsertionLine(
            text.lineOfOffset(before.start()), importText, target.module.imports().statements());
        String withComment =
            target.allNames() ? target.edits.withTrailingComment(target.statement, importText) : importText;
        edits.add(
            SpanEdit.insert(
                text.lineStart(line), text.indentation(line) + withComment + target.edits.lineEnding(line)));
      } else {
        edits.add(SpanEdit.insert(before.start(), importText + "; "));
      }
      functions.add("`" + function.name() + "()`");
    }
    return target.safe("Lazy-load " + target.names() + " in " + String.join(", ", functions), edits);
  }

  /** The statement to insert the import before, for the uses of one function (see the class comment), or null. */
  private static Span insertionStatement(EnclosingScope function, List<NameReference> uses) {
    List<List<StatementStep>> chains = new ArrayList<>();
    for (NameReference use : uses) {
      List<StatementStep> chain = new ArrayList<>();
      List<StatementStep> path = use.path();
      for (int i = path.size() - 1; i >= 0; i--) { // outermost first
        StatementStep step = path.get(i);
        // A block of the function's own body: inside the definition and after its header. (A class body
        // starts at its first statement, so for a class's last method it lies within the method's span.)
        if (!function.span().contains(step.block()) || step.block().start() == function.span().start()) {
          continue;
        }
        chain.add(step);
        if (step.isLoop() || step.isDefinition()) {
          break; // stop above loops and nested class bodies / definitions
        }
      }
      if (chain.isEmpty()) {
        return null;
      }
      chains.add(chain);
    }
    // descend while every use is inside the same nested block: that block is then the innermost common one
    int level = 0;
    while (true) {
      int next = level + 1;
      if (!chains.stream().allMatch(c -> c.size() > next)) {
        break;
      }
      Span block = chains.get(0).get(next).block();
      if (!chains.stream().allMatch(c -> c.get(next).block().equals(block))) {
        break;
      }
      level = next;
    }
    // A match statement's block holds only case clauses: an import goes before the whole match (a use in
    // a pattern or a guard, or in several cases, would otherwise put it between `match` and `case`).
    while (level > 0 && chains.get(0).get(level).statementType().equals("case_clause")) {
      level--;
    }
    Span earliest = null;
    for (List<StatementStep> chain : chains) {
      Span statement = chain.get(level).statement();
      if (earliest == null || statement.start() < earliest.start()) {
        earliest = statement;
      }
    }
    return earliest;
  }
}
