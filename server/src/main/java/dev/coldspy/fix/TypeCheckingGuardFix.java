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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Guard for typing only: names used only in annotations move under {@code if TYPE_CHECKING:}, so type
 * checkers still see them and the program no longer imports them.
 *
 * <p>Safe when every reference is an annotation Python does not evaluate (a local variable's, a string, or
 * any under {@code from __future__ import annotations}) or one the fix can quote. An annotation Python does
 * evaluate (a parameter's, a return's, a module or class variable's) is turned into a string annotation, as a
 * careful human would: the whole annotation, so {@code x: list[Decimal]} becomes {@code x: "list[Decimal]"};
 * the file's other annotations stay as they are. The fix never adds {@code from __future__ import
 * annotations}: that would change every annotation of the file at run time and load {@code __future__}.
 * Refused when an annotation belongs to a decorated definition or a class with bases (dataclasses, pydantic,
 * FastAPI or {@code singledispatch} may resolve it at runtime and would no longer find the name), and when an
 * annotation to quote cannot be written as one string on its line (it spans lines, holds a backslash or
 * both kinds of quotes).
 *
 * <p>Refused outright when the file, or a module of the project it imports or that imports it, can read
 * annotations at run time ({@code get_type_hints}, {@code __annotations__}, {@code inspect.signature},
 * {@code singledispatch} registration, {@code dataclass} applied by call — {@link ProjectUses#ANNOTATION_READERS}):
 * such a reader resolves the annotation's names, which only exist at run time without the guard.
 *
 * <p>The import joins an existing module-level {@code if TYPE_CHECKING:} block in sorted order, else goes into a
 * new block after the module's last plain top-level import, a blank line apart; {@code from typing import
 * TYPE_CHECKING} is added, where isort would put it ({@link SourceEdits#insertImport}), when neither {@code
 * TYPE_CHECKING} nor {@code typing} is imported.
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
    // the annotations Python evaluates that name the guarded names, each once (list[A, B] holds two names)
    Set<Span> toQuote = new TreeSet<>();
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
        if (reference.evaluation() == Evaluation.ANNOTATION) {
          Span annotation = target.module.annotationAround(reference);
          if (annotation == null) {
            return target.refuse(target.quoted(name) + " at " + target.edits.where(reference.span())
                + " is evaluated at run time but is in no annotation the fix can quote");
          }
          toQuote.add(annotation);
        }
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
    List<SpanEdit> edits = new ArrayList<>();
    for (Span annotation : toQuote) {
      String written = text.slice(annotation);
      Optional<String> unquotable = whyNotQuotable(written);
      if (unquotable.isPresent()) {
        return target.refuse("the annotation at " + target.edits.where(annotation)
            + " is evaluated at run time and cannot be quoted: it " + unquotable.get() + "; quote it by hand");
      }
      char quote = written.indexOf('"') >= 0 ? '\'' : '"';
      edits.add(new SpanEdit(annotation, quote + written + quote));
    }
    String guardedImport = SourceEdits.importText(statement, target.names);
    if (target.allNames()) {
      guardedImport = target.edits.withTrailingComment(statement, guardedImport);
    }
    List<ImportStatement> typeCheckingImports =
        imports.moduleLevel().stream().filter(s -> s.context().typeCheckingOnly()).toList();
    // the module's other top-level imports, once the guarded names have left the statement
    List<ImportStatement> remaining = target.remainingTopLevelImports();
    edits.addAll(target.removeNamesAmong(remaining));
    if (!typeCheckingImports.isEmpty()) {
      edits.add(target.edits.insertImport(guardedImport, typeCheckingImports, statement.firstLine()));
    } else {
      String condition = typeCheckingName(imports);
      if (condition == null) {
        Optional<ImportStatement> typingImport = remaining.stream()
            .filter(s -> s != statement && s.kind() == ImportKind.FROM && "typing".equals(s.writtenModule()) && !s.star())
            .findFirst();
        // into `from typing import ...` if there is one: isort would merge a second one into it
        edits.add(typingImport.isPresent()
            ? SourceEdits.addName(typingImport.get(), "TYPE_CHECKING")
            : target.edits.insertImport("from typing import TYPE_CHECKING", remaining, statement.firstLine()));
        condition = "TYPE_CHECKING";
      }
      List<String> block = List.of("", "if " + condition + ":", target.edits.indentUnit() + guardedImport);
      // after the last import; in the place of the guarded statement when it was the only one
      edits.add(remaining.isEmpty()
          ? target.edits.insertLinesAt(text.lineStart(statement.firstLine()), statement.firstLine(), block)
          : target.edits.insertLinesAfter(
              remaining.stream().max(Comparator.comparingInt(ImportStatement::lastLine)).orElseThrow(), block));
    }
    String title = "Import " + target.names() + " only for type checking";
    return target.safe(switch (toQuote.size()) {
      case 0 -> title;
      case 1 -> title + " (quotes 1 annotation)";
      default -> title + " (quotes " + toQuote.size() + " annotations)";
    }, edits);
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
   * Why {@code annotation} cannot be wrapped in quotes as it is written, or empty: a string annotation is one
   * line (which also keeps comments out: one inside an annotation ends a line), the quote must not clash
   * with quotes inside it, and a backslash would be read as an escape inside the new string.
   */
  private static Optional<String> whyNotQuotable(String annotation) {
    if (annotation.indexOf('\n') >= 0 || annotation.indexOf('\r') >= 0) {
      return Optional.of("spans several lines");
    }
    if (annotation.indexOf('\\') >= 0) {
      return Optional.of("holds a backslash");
    }
    if (annotation.indexOf('"') >= 0 && annotation.indexOf('\'') >= 0) {
      return Optional.of("holds both kinds of quotes");
    }
    return Optional.empty();
  }
}
