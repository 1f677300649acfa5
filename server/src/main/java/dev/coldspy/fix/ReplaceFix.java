package dev.coldspy.fix;

import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportContext;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.python.UseSite;
import dev.coldspy.text.Span;
import dev.coldspy.text.TextEdit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replace a heavy library by a lighter one where a {@link RewriteRule} describes the change mechanically,
 * and only when <em>every</em> use of the statement's names matches a rule — otherwise the answer explains
 * which use has no rewrite and what the alternative is.
 */
final class ReplaceFix {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

  private ReplaceFix() {}

  static FixPlan plan(Target target) {
    ImportStatement statement = target.statement;
    List<RewriteRule> rules =
        target.options.rewrites().stream().filter(r -> concernsStatement(r, target)).toList();
    if (rules.isEmpty()) {
      return target.refuse("no mechanical rewrite is known for " + describeModule(statement, target.names));
    }
    String advice =
        rules.stream().map(RewriteRule::advice).filter(a -> a != null && !a.isBlank()).findFirst().orElse(null);
    if (statement.star()) {
      return target.refuse(withAdvice("a star import hides which names are used", advice));
    }
    if (statement.context().importErrorFallback()) {
      return target.refuse(withAdvice("part of a `try/except ImportError` fallback: rewrite it by hand", advice));
    }
    Optional<RewriteRule> rename = rules.stream().filter(RewriteRule::isModuleRename).findFirst();
    if (rename.isPresent()) {
      return renameModule(target, rename.get(), advice);
    }
    return rewriteCalls(target, rules, advice);
  }

  private static boolean concernsStatement(RewriteRule rule, Target target) {
    for (ImportedName name : target.names) {
      String imported = target.statement.kind() == ImportKind.IMPORT ? name.written() : name.target();
      if (rule.isModuleRename()
          ? imported.equals(rule.pattern()) || imported.startsWith(rule.pattern() + ".")
          : rule.concerns(imported)) {
        return true;
      }
    }
    return false;
  }

  private static String describeModule(ImportStatement statement, List<ImportedName> names) {
    return statement.kind() == ImportKind.IMPORT
        ? "`" + String.join("`, `", names.stream().map(ImportedName::written).toList()) + "`"
        : "`" + statement.module() + "`";
  }

  private static String withAdvice(String reason, String advice) {
    return advice == null ? reason : reason + ". Alternative: " + advice;
  }

  /** {@code import pathlib2} → {@code import pathlib}, renaming the uses; {@code from pathlib2 import x} → from pathlib. */
  private static FixPlan renameModule(Target target, RewriteRule rule, String advice) {
    ImportStatement statement = target.statement;
    if (!target.allNames()) {
      return target.refuse(withAdvice("rename the whole statement, not some of its names", advice));
    }
    String from = rule.pattern();
    String to = rule.replacement();
    List<TextEdit> edits = new ArrayList<>();
    Span span = statement.span();
    String source = target.edits.text().slice(span);
    if (statement.kind() == ImportKind.FROM) {
      if (!statement.writtenModule().equals(from) && !statement.writtenModule().startsWith(from + ".")) {
        return target.refuse(withAdvice("the module is imported relatively; rename it by hand", advice));
      }
      int at = source.indexOf(statement.writtenModule());
      edits.add(new TextEdit(new Span(span.start() + at, span.start() + at + from.length()), to));
    } else {
      String oldTop = from.split("\\.")[0];
      String newTop = to.split("\\.")[0];
      for (ImportedName name : statement.names()) {
        if (!name.written().equals(from) && !name.written().startsWith(from + ".")) {
          continue;
        }
        edits.add(new TextEdit(new Span(name.span().start(), name.span().start() + from.length()), to));
        if (!name.hasAlias() && !oldTop.equals(newTop)) {
          Optional<String> conflict = nameInUse(target, newTop);
          if (conflict.isPresent()) {
            return target.refuse(withAdvice(conflict.get(), advice));
          }
          for (NameReference reference : target.references(name)) {
            if (reference.evaluation() == Evaluation.ALL_EXPORT) {
              return target.refuse(withAdvice("`" + oldTop + "` is exported in `__all__` at "
                  + target.edits.where(reference.span()), advice));
            }
            edits.add(new TextEdit(reference.span(), newTop));
          }
        }
      }
    }
    return target.safe("Replace `" + from + "` with `" + to + "`", edits);
  }

  /** Renaming uses to {@code name} is safe only if nothing else in the file is called that. */
  private static Optional<String> nameInUse(Target target, String name) {
    String source = target.edits.text().text();
    Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?!\\w)").matcher(source);
    if (m.find()) {
      return Optional.of("`" + name + "` already appears at " + target.edits.where(new Span(m.start(), m.end())));
    }
    return Optional.empty();
  }

  private static FixPlan rewriteCalls(Target target, List<RewriteRule> rules, String advice) {
    List<TextEdit> edits = new ArrayList<>();
    Set<String> neededImports = new LinkedHashSet<>();
    int rewritten = 0;
    for (ImportedName name : target.names) {
      String base = name.target();
      for (NameReference reference : target.references(name)) {
        UseSite site = target.module.useSite(reference);
        Optional<TextEdit> edit = rewrite(base, site, rules, neededImports);
        if (edit.isEmpty()) {
          return target.refuse(
              withAdvice(
                  "no mechanical rewrite for the use at " + target.edits.where(reference.span()), advice));
        }
        edits.add(edit.get());
        rewritten++;
      }
    }
    edits.addAll(target.edits.removeNames(target.statement, target.names));
    List<String> lines = new ArrayList<>();
    for (String module : neededImports) {
      if (!alreadyImported(target, module)) {
        lines.add(target.edits.text().indentation(target.statement.firstLine()) + "import " + module);
      }
    }
    if (!lines.isEmpty()) {
      edits.add(target.edits.insertLinesAfter(target.statement, lines));
    }
    return target.safe(
        "Replace " + target.names() + " (" + rewritten + " use" + (rewritten == 1 ? "" : "s") + " rewritten)",
        edits);
  }

  /** The edit for one use, if some rule matches it exactly. */
  private static Optional<TextEdit> rewrite(
      String base, UseSite site, List<RewriteRule> rules, Set<String> neededImports) {
    String qualified = base + (site.attributes().isEmpty() ? "" : "." + String.join(".", site.attributes()));
    UseSite.Call call = site.call();
    for (RewriteRule rule : rules) {
      if (rule.isModuleRename() || call == null || !rule.callee().equals(qualified)) {
        continue;
      }
      List<Integer> placeholders = rule.placeholders();
      if (!call.onlyPositional() || call.arguments().size() != placeholders.size()) {
        continue;
      }
      List<String> wanted = rule.resultAttributes();
      if (wanted.size() > site.trailingAttributes().size()
          || !site.trailingAttributes().subList(0, wanted.size()).equals(wanted)) {
        continue;
      }
      Span replaced = wanted.isEmpty() ? new Span(site.chain().start(), call.span().end()) : site.trailingSpans().get(wanted.size() - 1);
      Matcher m = PLACEHOLDER.matcher(rule.replacement());
      StringBuilder out = new StringBuilder();
      boolean ok = true;
      while (m.find()) {
        int index = placeholders.indexOf(Integer.parseInt(m.group(1)));
        if (index < 0) {
          ok = false;
          break;
        }
        UseSite.Argument argument = call.arguments().get(index);
        boolean wholeArgument = isWholeArgument(rule.replacement(), m.start(), m.end());
        String pasted = argument.atomic() || wholeArgument ? argument.text() : "(" + argument.text() + ")";
        m.appendReplacement(out, Matcher.quoteReplacement(pasted));
      }
      if (!ok) {
        continue;
      }
      m.appendTail(out);
      neededImports.addAll(rule.imports());
      return Optional.of(new TextEdit(replaced, out.toString()));
    }
    return Optional.empty();
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
