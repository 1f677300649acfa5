package dev.coldspy.fix;

import dev.coldspy.python.EnclosingScope;
import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportContext;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.python.PythonModule;
import dev.coldspy.python.StatementStep;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lazy-load: take the names out of the module-level statement and import them in every function that uses
 * them, at the top of the block that first needs them — and likewise in the module's
 * {@code if __name__ == "__main__":} block when it uses them. That block runs only when the file is run as a
 * script, after the module's other top-level code: an import there binds the module's global again before the
 * block's first use, and no other code reads that global (functions have their own import, and a use anywhere
 * else at module level refuses the fix), so the script behaves as before and importing the module never
 * loads the names.
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
 *
 * <p>Within that block it moves up over the statements before the first use that surely run through to it
 * (no {@code return}, {@code raise}, ... in them): to the block's own imports, joining them in isort order, or
 * else to the block's start after its docstring — where a hand-written local import goes, and where the import
 * of a second name used later in the function finds the first. It runs when the use does all the same;
 * a statement that may leave the block first (an early {@code return}, an {@code if} holding one) keeps it
 * below, so that a cold start leaving early still does not pay for it.
 */
final class LazyLoadFix {
  /** Words of a statement that may leave the block before the next statement runs ({@link #runsThrough}). */
  private static final Pattern MAY_LEAVE = Pattern.compile("\\b(return|raise|assert|yield|await|async)\\b");

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
    Map<Host, List<NameReference>> usesByHost = new LinkedHashMap<>();
    Map<Host, Set<ImportedName>> namesByHost = new LinkedHashMap<>();
    for (ImportedName name : target.names) {
      List<NameReference> references = target.references(name);
      if (references.isEmpty()) {
        return target.refuse(target.quoted(name) + " is never used: remove the import instead of moving it");
      }
      for (NameReference reference : references) {
        if (reference.atImportTime() || reference.evaluation() == Evaluation.ALL_EXPORT) {
          return target.refuse(target.quoted(name) + " is " + target.describeImportTimeUse(reference));
        }
        Host host = Host.of(reference);
        if (host == null) {
          String what =
              reference.evaluation().isAnnotation()
                  ? "used in an annotation outside any function at " + target.edits.where(reference.span())
                      + "; type checkers need the module-level name (guard it with TYPE_CHECKING instead)"
                  : "used in a module-level lambda at " + target.edits.where(reference.span())
                      + ", which has no body to import it in";
          return target.refuse(target.quoted(name) + " is " + what);
        }
        usesByHost.computeIfAbsent(host, h -> new ArrayList<>()).add(reference);
        namesByHost.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(name);
      }
    }
    SourceText text = target.edits.text();
    List<SpanEdit> edits = new ArrayList<>(target.edits.removeNamesClosingTheGap(target.statement, target.names));
    List<String> hosts = new ArrayList<>();
    for (Map.Entry<Host, List<NameReference>> entry : usesByHost.entrySet()) {
      Host host = entry.getKey();
      List<ImportedName> imported =
          target.statement.names().stream().filter(namesByHost.get(host)::contains).toList();
      String importText = SourceEdits.importText(target.statement, imported);
      StatementStep firstUse = insertionStatement(host, entry.getValue());
      if (firstUse == null) {
        return target.refuse("could not find a statement in " + host.label() + " to import before");
      }
      Span before = firstUse.statement();
      if (text.startsLine(before.start())) {
        String indentation = text.indentation(text.lineOfOffset(before.start()));
        int line = target.edits.sortedInsertionLine(
            importLine(text, firstUse), indentation, importText, target.module.imports().statements());
        String withComment =
            target.allNames() ? target.edits.withTrailingComment(target.statement, importText) : importText;
        edits.add(
            SpanEdit.insert(text.lineStart(line), indentation + withComment + target.edits.lineEnding(line)));
      } else {
        edits.add(SpanEdit.insert(before.start(), importText + "; "));
      }
      hosts.add(host.label());
    }
    return target.safe("Lazy-load " + target.names() + " in " + String.join(", ", hosts), edits);
  }

  /**
   * Code that gets its own import: a function ({@code span} the definition) or the module's
   * {@code if __name__ == "__main__":} block ({@code span} the {@code if} statement).
   */
  private record Host(Span span, String label) {
    /** The function around a use, else its main block; null when it has neither (a module-level lambda). */
    static Host of(NameReference reference) {
      EnclosingScope function = reference.function();
      if (function != null) {
        return new Host(function.span(), "`" + function.name() + "()`");
      }
      return reference.mainBlock() == null ? null : new Host(reference.mainBlock(), "the `__main__` block");
    }
  }

  /**
   * The line to put the import on, in the block of {@code firstUse} (the first statement that needs it): above
   * the statements before it that run through to it, so that it joins the block's own imports (or goes first
   * in the block, after its docstring) and still runs exactly when the use does. A statement that may not run
   * through stops it: it goes after that statement.
   *
   * <p>The statements come from parsing the block's lines before the use on their own, dedented; when they do
   * not parse so (a line indented less than the block, inside a string or brackets) the import stays right
   * before the use.
   */
  private static int importLine(SourceText text, StatementStep firstUse) {
    int useLine = text.lineOfOffset(firstUse.statement().start());
    int blockLine = text.lineOfOffset(firstUse.block().start());
    String indentation = text.indentation(useLine);
    if (blockLine >= useLine || !text.startsLine(firstUse.block().start())) {
      return useLine;
    }
    StringBuilder dedented = new StringBuilder();
    for (int line = blockLine; line < useLine; line++) {
      String content = text.lineText(line);
      if (!content.isBlank() && !content.startsWith(indentation)) {
        return useLine;
      }
      dedented.append(content.isBlank() ? "" : content.substring(indentation.length())).append('\n');
    }
    PythonModule before = PythonModule.parse(dedented.toString());
    if (before.hasSyntaxErrors()) {
      return useLine;
    }
    SourceText beforeText = before.text();
    List<Span> statements = new ArrayList<>(before.moduleLevelStatements());
    List<ImportStatement> imports = before.imports().moduleLevel().stream()
        .filter(i -> i.context().equals(ImportContext.PLAIN)) // not inside an if, try, with, loop
        .toList();
    imports.forEach(i -> statements.add(i.span()));
    statements.sort(Comparator.comparingInt(Span::start));
    for (int i = statements.size() - 1; i >= 0; i--) {
      Span statement = statements.get(i);
      int lastLine = beforeText.lineOfOffset(Math.max(statement.start(), statement.end() - 1));
      boolean oneLineImport = imports.stream()
          .anyMatch(s -> s.span().equals(statement) && s.firstLine() == s.lastLine());
      if (oneLineImport) {
        return blockLine + lastLine + 1; // the block's imports: sortedInsertionLine finds the place among them
      }
      if (statement.equals(before.docstring()) || !runsThrough(beforeText.slice(statement))) {
        return firstContentLine(text, blockLine + lastLine + 1, useLine);
      }
    }
    return blockLine;
  }

  /**
   * Whether a statement at the block's level surely goes on to the next one, unless it raises: it holds no
   * {@code return}, {@code raise}, {@code assert}, {@code yield}, {@code await} or {@code async} (the word in a
   * string or a nested function counts too). {@code break} and {@code continue} can only end a loop inside it:
   * the block is never inside a loop of the function ({@link #insertionStatement}).
   */
  private static boolean runsThrough(String statement) {
    return !MAY_LEAVE.matcher(statement).find();
  }

  /** The first line from {@code line} on that is not blank; {@code last} at the latest. */
  private static int firstContentLine(SourceText text, int line, int last) {
    int first = line;
    while (first < last && text.lineText(first).isBlank()) {
      first++;
    }
    return first;
  }

  /**
   * The statement to insert the import before, for the uses of one host (see the class comment), with its
   * block; or null.
   */
  private static StatementStep insertionStatement(Host host, List<NameReference> uses) {
    List<List<StatementStep>> chains = new ArrayList<>();
    for (NameReference use : uses) {
      List<StatementStep> chain = new ArrayList<>();
      List<StatementStep> path = use.path();
      for (int i = path.size() - 1; i >= 0; i--) { // outermost first
        StatementStep step = path.get(i);
        // A block of the host's own body: inside the definition or `if` and after its header. (A class body
        // starts at its first statement, so for a class's last method it lies within the method's span.)
        if (!host.span().contains(step.block()) || step.block().start() == host.span().start()) {
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
    StatementStep earliest = null;
    for (List<StatementStep> chain : chains) {
      StatementStep step = chain.get(level);
      if (earliest == null || step.statement().start() < earliest.statement().start()) {
        earliest = step;
      }
    }
    return earliest;
  }
}
