package dev.coldspy.fix;

import dev.coldspy.python.Evaluation;
import dev.coldspy.python.ImportContext;
import dev.coldspy.python.ImportIndex;
import dev.coldspy.python.ImportKind;
import dev.coldspy.python.ImportStatement;
import dev.coldspy.python.ImportedName;
import dev.coldspy.python.NameReference;
import dev.coldspy.text.SourceText;
import dev.coldspy.text.Span;
import dev.coldspy.text.SpanEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Guard for typing only: names used only in annotations move under {@code if TYPE_CHECKING:}, so type
 * checkers still see them and the program no longer imports them.
 *
 * <p>Safe when every reference is an annotation Python does not evaluate (a local variable's, a string, or
 * any under {@code from __future__ import annotations}). Annotations Python does evaluate (parameters,
 * returns, module and class variables) are made safe by adding {@code from __future__ import annotations},
 * which turns every annotation of the file into a string. Refused when an annotation belongs to a decorated
 * definition or a class with bases: dataclasses, pydantic, FastAPI or {@code singledispatch} may resolve it
 * at runtime and would no longer find the name; and the future import is refused when any such annotation
 * of the file would become a string.
 *
 * <p>Refused outright when the file, or a module of the project it imports or that imports it, can read
 * annotations at run time ({@code get_type_hints}, {@code __annotations__}, {@code inspect.signature},
 * {@code singledispatch} registration, {@code dataclass} applied by call — {@link ProjectUses#ANNOTATION_READERS}):
 * such a reader resolves the annotation's names, which only exist at run time without the guard.
 *
 * <p>The import goes to the end of an existing module-level {@code if TYPE_CHECKING:} block, else into a new
 * block after the module's last plain top-level import; {@code from typing import TYPE_CHECKING} is added
 * when neither {@code TYPE_CHECKING} nor {@code typing} is imported.
 */
final class TypeCheckingGuardFix {
  private TypeCheckingGuardFix() {}

  static FixPlan plan(Target target) {
    ImportStatement statement = target.statement;
    if (statement.star()) {
      return target.refuse("a star import cannot be guarded name by name");
    }
    if (statement.context().importErrorFallback() || statement.context().conditional()) {
      return target.refuse("conditional import (line " + statement.profileLine() + "): guard it by hand");
    }
    Optional<String> refusal = target.sideEffectRefusal(" the program relies on")
        .or(target::crossModuleRefusal);
    if (refusal.isPresent()) {
      return target.refuse(refusal.get());
    }
    boolean needsFuture = false;
    for (ImportedName name : target.names) {
      List<NameReference> references = target.references(name);
      if (references.isEmpty()) {
        return target.refuse(target.quoted(name) + " is never used: remove the import instead");
      }
      if (!target.otherBindings(name).isEmpty()) {
        return target.refuse(
            target.quoted(name) + " is also bound at " + target.edits.where(target.otherBindings(name).get(0).span()));
      }
      for (NameReference reference : references) {
        if (!reference.evaluation().isAnnotation()) {
          return target.refuse(
              target.quoted(name) + " is used at runtime at " + target.edits.where(reference.span()));
        }
        if (reference.annotationInspected()) {
          return target.refuse(
              target.quoted(name) + " annotates a decorated function or a class with bases at "
                  + target.edits.where(reference.span())
                  + "; libraries such as dataclasses, pydantic or FastAPI may read it at runtime");
        }
        needsFuture |= reference.evaluation() == Evaluation.ANNOTATION;
      }
    }
    Optional<String> reader = target.options.projectUses()
        .annotationReader(target.module.identity().moduleName(), target.module);
    if (reader.isPresent()) {
      return target.refuse("annotations of this file may be read at run time (" + reader.get() + "), where "
          + target.names() + " would no longer resolve once imported only for type checking");
    }
    ImportIndex imports = target.module.imports();
    SourceText text = target.edits.text();
    Span inspected = needsFuture ? target.module.firstInspectedAnnotation() : null;
    if (inspected != null) {
      return target.refuse(
          "the fix needs `from __future__ import annotations`, which turns every annotation of the file into a"
              + " string, and the one at " + target.edits.where(inspected)
              + " belongs to a decorated function or a class with bases: libraries such as dataclasses or"
              + " pydantic may read it at runtime");
    }
    List<SpanEdit> edits = new ArrayList<>();
    if (needsFuture) {
      edits.add(futureImport(target, imports));
    }
    edits.addAll(target.edits.removeNames(statement, target.names));
    String guardedImport = SourceEdits.importText(statement, target.names);
    if (target.allNames()) {
      guardedImport = target.edits.withTrailingComment(statement, guardedImport);
    }
    Optional<ImportStatement> existingBlock =
        imports.moduleLevel().stream().filter(s -> s.context().typeCheckingOnly()).reduce((a, b) -> b);
    if (existingBlock.isPresent()) {
      ImportStatement last = existingBlock.get();
      edits.add(
          target.edits.insertLinesAfter(last, List.of(text.indentation(last.firstLine()) + guardedImport)));
    } else {
      String condition = typeCheckingName(imports);
      List<String> lines = new ArrayList<>();
      if (condition == null) {
        lines.add("from typing import TYPE_CHECKING");
        condition = "TYPE_CHECKING";
      }
      lines.add("if " + condition + ":");
      lines.add(target.edits.indentUnit() + guardedImport);
      ImportStatement anchor =
          imports.moduleLevel().stream()
              .filter(s -> s.context().equals(ImportContext.PLAIN) && s.kind() != ImportKind.FUTURE)
              .reduce((a, b) -> b)
              .orElse(statement);
      edits.add(target.edits.insertLinesAfter(anchor, lines));
    }
    String title = "Import " + target.names() + " only for type checking";
    return target.safe(needsFuture ? title + " (adds `from __future__ import annotations`)" : title, edits);
  }

  /** {@code TYPE_CHECKING} or {@code typing.TYPE_CHECKING} if the module can already name it, else null. */
  private static String typeCheckingName(ImportIndex imports) {
    for (ImportStatement s : imports.moduleLevel()) {
      if (!s.context().equals(ImportContext.PLAIN)) {
        continue;
      }
      for (ImportedName name : s.names()) {
        if (name.boundName().equals("TYPE_CHECKING") && name.target().endsWith("TYPE_CHECKING")) {
          return "TYPE_CHECKING";
        }
      }
    }
    for (ImportStatement s : imports.moduleLevel()) {
      if (s.context().equals(ImportContext.PLAIN)
          && s.kind() == ImportKind.IMPORT
          && s.names().stream().anyMatch(n -> n.boundName().equals("typing") && n.target().equals("typing"))) {
        return "typing.TYPE_CHECKING";
      }
    }
    return null;
  }

  /**
   * {@code from __future__ import annotations} where Python requires it: after the docstring and any other
   * future import, never above a shebang or encoding line.
   */
  private static SpanEdit futureImport(Target target, ImportIndex imports) {
    SourceText text = target.edits.text();
    String line = "from __future__ import annotations";
    Optional<ImportStatement> lastFuture =
        imports.statements().stream().filter(s -> s.kind() == ImportKind.FUTURE).reduce((a, b) -> b);
    if (lastFuture.isPresent()) {
      return target.edits.insertLinesAfter(lastFuture.get(), List.of(line));
    }
    Span docstring = target.module.docstring();
    if (docstring != null) {
      int docLine = text.lineOfOffset(docstring.end());
      return target.edits.insertLinesAt(text.lineEnd(docLine), docLine, List.of(line));
    }
    int first = 0;
    while (first < text.lineCount() - 1 && text.lineText(first).startsWith("#")) {
      first++;
    }
    return target.edits.insertLinesAt(text.lineStart(first), first, List.of(line));
  }
}
