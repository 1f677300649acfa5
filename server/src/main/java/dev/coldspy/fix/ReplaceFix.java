package dev.coldspy.fix;

import dev.coldspy.engine.LibraryEntry;
import dev.coldspy.engine.Rewrite;
import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportContext;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.python.ReferenceExpression;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replace a heavy library by a lighter one where the knowledge file carries a mechanical {@link Rewrite}
 * (see {@code knowledge.toml}), and only when <em>every</em> use of the statement's names is covered —
 * otherwise the answer names the use without a rewrite and gives the entry's advice.
 *
 * <ul>
 *   <li>module rewrites re-point the import and keep the bound names: {@code import m} → {@code import to as
 *       m}, {@code import m as a} → {@code import to as a}, {@code from m.x import n} → {@code from to.x import
 *       n}. {@code import m.sub} without alias binds {@code m} itself and is left to the user.
 *   <li>expression rewrites match a call of the library's qualified name with {@code {placeholders}} for its
 *       positional arguments, optionally followed by attributes of the result, through whatever name the
 *       import binds; arguments are pasted back parenthesised unless they are primary expressions or whole
 *       arguments of the replacement.
 * </ul>
 */
final class ReplaceFix {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern CALL =
      Pattern.compile(
          "([A-Za-z_][\\w.]*)\\(\\s*((?:\\{\\w+}\\s*(?:,\\s*\\{\\w+}\\s*)*)?)\\)((?:\\.[A-Za-z_]\\w*)*)");

  private ReplaceFix() {}

  static FixPlan plan(Target target) {
    ImportStatement statement = target.statement;
    Optional<LibraryEntry> found = entryFor(target);
    if (found.isEmpty() || found.get().rewrites().isEmpty()) {
      return target.refuse(
          "no mechanical rewrite is known for " + describeModules(target)
              + found.map(e -> ". Alternative: " + e.advice()).orElse(""));
    }
    LibraryEntry entry = found.get();
    List<Rewrite> usable = entry.rewrites().stream().filter(r -> r.validFor(target.options.targetPython())).toList();
    if (usable.isEmpty()) {
      return target.refuse(
          withAdvice(
              "the rewrites for `" + entry.module() + "` need a newer Python than the target "
                  + target.options.targetPython(),
              entry));
    }
    if (statement.star()) {
      return target.refuse(withAdvice("a star import hides which names are used", entry));
    }
    if (statement.context().importErrorFallback()) {
      return target.refuse(withAdvice("part of a `try/except ImportError` fallback: rewrite it by hand", entry));
    }
    Optional<Rewrite> moduleRewrite = usable.stream().filter(r -> r.kind() == Rewrite.Kind.MODULE).findFirst();
    if (moduleRewrite.isPresent()) {
      return repointImport(target, entry, moduleRewrite.get());
    }
    return rewriteExpressions(target, entry, usable);
  }

  private static Optional<LibraryEntry> entryFor(Target target) {
    for (ImportedName name : target.names) {
      String imported = target.statement.kind() == ImportKind.IMPORT ? name.written() : target.statement.module();
      if (imported == null) {
        continue;
      }
      Optional<LibraryEntry> entry = target.options.knowledge().entryFor(imported);
      if (entry.isEmpty() && target.statement.kind() == ImportKind.FROM) {
        entry = target.options.knowledge().entryFor(name.target()); // from backports import zoneinfo
      }
      if (entry.isPresent()) {
        return entry;
      }
    }
    return Optional.empty();
  }

  private static String describeModules(Target target) {
    return target.statement.kind() == ImportKind.IMPORT
        ? "`" + String.join("`, `", target.names.stream().map(ImportedName::written).toList()) + "`"
        : "`" + target.statement.module() + "`";
  }

  private static String withAdvice(String reason, LibraryEntry entry) {
    return reason + ". Alternative: " + entry.advice();
  }

  private static String title(LibraryEntry entry, String replacement) {
    return "Replace `" + entry.module() + "` with " + replacement;
  }

  /** A module rewrite: re-point the statement at the replacement module, keeping every bound name. */
  private static FixPlan repointImport(Target target, LibraryEntry entry, Rewrite rewrite) {
    ImportStatement statement = target.statement;
    String from = entry.module();
    String to = rewrite.to();
    List<SpanEdit> edits = new ArrayList<>();
    if (statement.kind() == ImportKind.FROM) {
      String written = statement.writtenModule();
      if (!(written.equals(from) || written.startsWith(from + "."))) {
        return target.refuse(withAdvice("`from " + written + " import ...` reaches the library indirectly; rewrite it by hand", entry));
      }
      int at = statement.span().start() + target.edits.text().slice(statement.span()).indexOf(written);
      edits.add(new SpanEdit(new Span(at, at + from.length()), to));
    } else {
      for (ImportedName name : target.names) {
        String written = name.written();
        if (!(written.equals(from) || written.startsWith(from + "."))) {
          continue;
        }
        String newModule = to + written.substring(from.length());
        if (!name.hasAlias() && (written.contains(".") || !newModule.equals(to))) {
          return target.refuse(
              withAdvice(
                  "`import " + written + "` binds `" + name.boundName() + "`, which the replacement cannot provide;"
                      + " rewrite it by hand",
                  entry));
        }
        String alias = name.hasAlias() ? name.alias() : name.boundName();
        edits.add(new SpanEdit(name.span(), newModule + " as " + alias));
      }
    }
    return new FixPlan.Safe(target.kind, title(entry, "`" + to + "`"), edits, rewrite.caveat().orElse(""));
  }

  /** Expression rewrites: every use must match one; the import is then removed and the new ones added. */
  private static FixPlan rewriteExpressions(Target target, LibraryEntry entry, List<Rewrite> rewrites) {
    List<SpanEdit> edits = new ArrayList<>();
    Set<String> neededImports = new LinkedHashSet<>();
    Set<String> caveats = new LinkedHashSet<>();
    int rewritten = 0;
    for (ImportedName name : target.names) {
      for (NameReference reference : target.references(name)) {
        Optional<SpanEdit> edit = Optional.empty();
        if (reference.evaluation() == Evaluation.CODE || reference.evaluation() == Evaluation.DEFAULT_ARGUMENT) {
          ReferenceExpression site = target.module.expressionAround(reference);
          for (Rewrite rewrite : rewrites) {
            edit = apply(name.target(), site, rewrite);
            if (edit.isPresent()) {
              neededImports.addAll(rewrite.imports());
              rewrite.caveat().ifPresent(caveats::add);
              break;
            }
          }
        }
        if (edit.isEmpty()) {
          return target.refuse(
              withAdvice("no mechanical rewrite for the use at " + target.edits.where(reference.span()), entry));
        }
        edits.add(edit.get());
        rewritten++;
      }
    }
    ImportStatement statement = target.statement;
    List<String> newImports =
        neededImports.stream().filter(m -> !alreadyImported(target, m)).sorted().map(m -> "import " + m).toList();
    if (statement.isModuleLevel() && statement.context().equals(ImportContext.PLAIN)) {
      // a new import joins the module's imports where isort would put it
      List<ImportStatement> neighbours = target.remainingTopLevelImports();
      edits.addAll(target.removeNamesAmong(neighbours));
      for (String newImport : newImports) {
        edits.add(target.edits.insertImport(newImport, neighbours, statement.firstLine()));
      }
    } else {
      edits.addAll(target.edits.removeNames(statement, target.names));
      String indentation = target.edits.text().indentation(statement.firstLine());
      if (!newImports.isEmpty()) {
        edits.add(target.edits.insertLinesAfter(statement, newImports.stream().map(i -> indentation + i).toList()));
      }
    }
    return new FixPlan.Safe(
        target.kind,
        title(entry, String.join(", ", neededImports)) + " (" + rewritten + " use" + (rewritten == 1 ? "" : "s")
            + ")",
        edits,
        String.join("; ", caveats));
  }

  /** The edit for one use if {@code rewrite} matches it exactly. */
  private static Optional<SpanEdit> apply(String boundTarget, ReferenceExpression site, Rewrite rewrite) {
    Matcher pattern = CALL.matcher(rewrite.match().strip());
    ReferenceExpression.Call call = site.call();
    if (!pattern.matches() || call == null) {
      return Optional.empty();
    }
    String qualified =
        boundTarget + (site.attributes().isEmpty() ? "" : "." + String.join(".", site.attributes()));
    if (!pattern.group(1).equals(qualified)) {
      return Optional.empty();
    }
    List<String> placeholders = new ArrayList<>();
    Matcher p = PLACEHOLDER.matcher(pattern.group(2));
    while (p.find()) {
      placeholders.add(p.group(1));
    }
    if (!call.onlyPositional() || call.arguments().size() != placeholders.size()) {
      return Optional.empty();
    }
    List<String> wanted =
        pattern.group(3).isEmpty() ? List.of() : List.of(pattern.group(3).substring(1).split("\\."));
    if (wanted.size() > site.trailingAttributes().size()
        || !site.trailingAttributes().subList(0, wanted.size()).equals(wanted)) {
      return Optional.empty();
    }
    Span replaced =
        wanted.isEmpty()
            ? new Span(site.chain().start(), call.span().end())
            : site.trailingSpans().get(wanted.size() - 1);
    String template = rewrite.replace();
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int index = placeholders.indexOf(m.group(1));
      if (index < 0) {
        return Optional.empty();
      }
      ReferenceExpression.Argument argument = call.arguments().get(index);
      boolean bare = argument.atomic() || isWholeArgument(template, m.start(), m.end());
      m.appendReplacement(out, Matcher.quoteReplacement(bare ? argument.text() : "(" + argument.text() + ")"));
    }
    m.appendTail(out);
    return Optional.of(new SpanEdit(replaced, out.toString()));
  }

  /** Whether {@code template[start, end)} is a whole call argument, where any expression fits unparenthesised. */
  private static boolean isWholeArgument(String template, int start, int end) {
    int before = start - 1;
    while (before >= 0 && template.charAt(before) == ' ') {
      before--;
    }
    int after = end;
    while (after < template.length() && template.charAt(after) == ' ') {
      after++;
    }
    return before >= 0
        && after < template.length()
        && (template.charAt(before) == '(' || template.charAt(before) == ',')
        && (template.charAt(after) == ')' || template.charAt(after) == ',');
  }

  private static boolean alreadyImported(Target target, String module) {
    return target.module.imports().moduleLevel().stream()
        .filter(s -> s.kind() == ImportKind.IMPORT && s.context().equals(ImportContext.PLAIN))
        .flatMap(s -> s.names().stream())
        .anyMatch(n -> !n.hasAlias() && n.written().equals(module));
  }
}
