package dev.coldspy.fix;

import dev.coldspy.engine.PythonVersion;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PEP 810: write {@code lazy import x} / {@code lazy from x import y}; the module loads on first use of the
 * name. Python 3.15+ only, module level only, and not inside {@code try}/{@code with} (a SyntaxError there),
 * not for star imports. A subset of a statement's names is split off into its own {@code lazy} statement.
 */
final class Pep810Fix {
  private Pep810Fix() {}

  static FixPlan plan(Target target) {
    if (target.options.targetPython().compareTo(PythonVersion.PEP_810) < 0) {
      return target.refuse(
          "`lazy import` (PEP 810) needs Python " + PythonVersion.PEP_810 + "+; the target is Python "
              + target.options.targetPython());
    }
    if (target.statement.star()) {
      return target.refuse("PEP 810 does not allow `lazy from ... import *`");
    }
    if (target.statement.context().inTryStatement() || target.statement.context().inWithStatement()) {
      return target.refuse("PEP 810 does not allow `lazy` imports inside `try` or `with` blocks");
    }
    Optional<String> refusal = target.sideEffectRefusal("; a lazy import would delay them")
        .or(() -> target.dynamicNamespaceRefusal(": it would see lazy proxies"));
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    for (ImportedName name : target.names) {
      List<NameReference> references = target.references(name);
      if (references.isEmpty() && Target.isSubmoduleImport(target.statement, name)) {
        return target.refuse(
            "`import " + name.written() + "` is never used by name: it exists to load the submodule, which a lazy"
                + " import would never do");
      }
      for (NameReference reference : references) {
        if (reference.atImportTime() && Target.isRuntime(reference)) {
          return target.refuse(
              target.quoted(name) + " is " + target.describeImportTimeUse(reference)
                  + "; a lazy import would be loaded at start-up anyway");
        }
      }
    }
    if (target.allNames()) {
      return target.safe(
          "Make " + target.names() + " a PEP 810 lazy import",
          List.of(SpanEdit.insert(target.statement.span().start(), "lazy ")));
    }
    List<SpanEdit> edits = new ArrayList<>(target.edits.removeNames(target.statement, target.names));
    String indentation = target.edits.text().indentation(target.statement.firstLine());
    edits.add(
        target.edits.insertLinesAfter(
            target.statement,
            List.of(indentation + "lazy " + SourceEdits.importText(target.statement, target.names))));
    return target.safe("Split " + target.names() + " into a PEP 810 lazy import", edits);
  }
}
