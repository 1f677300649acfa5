package dev.coldspy.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coldspy.text.SourceText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;

/**
 * Builders and whole-object asserts for the services' LSP results, in the style of LemMinX's {@code XMLAssert}:
 * a test writes the diagnostics, code actions and edits it expects ({@code d(...)}, {@code ca(...)},
 * {@code te(...)}) and compares them with what the service returned as a whole, so a changed field fails the
 * test with both objects printed.
 */
final class LspAssert {
  private LspAssert() {}

  /** A range of 0-based lines and UTF-16 characters. */
  static Range r(int startLine, int startCharacter, int endLine, int endCharacter) {
    return new Range(new Position(startLine, startCharacter), new Position(endLine, endCharacter));
  }

  /** A ColdSpy diagnostic. */
  static Diagnostic d(Range range, DiagnosticSeverity severity, String code, String message) {
    Diagnostic diagnostic = new Diagnostic(range, message, severity, "ColdSpy", code);
    return diagnostic;
  }

  /** The diagnostic with related information: where the module is used. */
  static Diagnostic d(Range range, DiagnosticSeverity severity, String code, String message,
      DiagnosticRelatedInformation... related) {
    Diagnostic diagnostic = d(range, severity, code, message);
    diagnostic.setRelatedInformation(List.of(related));
    return diagnostic;
  }

  /** Related information pointing at the start of a 0-based line of a file. */
  static DiagnosticRelatedInformation related(String uri, int line, String message) {
    return new DiagnosticRelatedInformation(new Location(uri, r(line, 0, line, 0)), message);
  }

  /** A quick fix as listed (edits come on resolve), bound to its diagnostic. */
  static CodeAction ca(String title, boolean preferred, Diagnostic diagnostic) {
    CodeAction action = new CodeAction(title);
    action.setKind(CodeActionKind.QuickFix);
    action.setIsPreferred(preferred);
    action.setDiagnostics(List.of(diagnostic));
    return action;
  }

  /** A text edit. */
  static TextEdit te(int startLine, int startCharacter, int endLine, int endCharacter, String newText) {
    return new TextEdit(r(startLine, startCharacter, endLine, endCharacter), newText);
  }

  /**
   * The diagnostics equal the expected ones as whole objects; related information, code description, tags and
   * data are compared where the expected diagnostic sets them.
   */
  static void assertDiagnostics(List<Diagnostic> actual, Diagnostic... expected) {
    List<Diagnostic> compared = new ArrayList<>();
    for (int i = 0; i < actual.size(); i++) {
      Diagnostic copy = copy(actual.get(i));
      Diagnostic pattern = i < expected.length ? expected[i] : null;
      if (pattern == null || pattern.getRelatedInformation() == null) {
        copy.setRelatedInformation(null);
      }
      if (pattern == null || pattern.getCodeDescription() == null) {
        copy.setCodeDescription(null);
      }
      if (pattern == null || pattern.getTags() == null) {
        copy.setTags(null);
      }
      if (pattern == null || pattern.getData() == null) {
        copy.setData(null);
      }
      compared.add(copy);
    }
    assertEquals(List.of(expected), compared);
  }

  /** The code actions equal the expected ones as whole objects, apart from their opaque {@code data}. */
  static void assertCodeActions(List<CodeAction> actual, CodeAction... expected) {
    List<CodeAction> compared = new ArrayList<>();
    for (CodeAction action : actual) {
      CodeAction copy = new CodeAction(action.getTitle());
      copy.setKind(action.getKind());
      copy.setIsPreferred(action.getIsPreferred());
      copy.setDiagnostics(action.getDiagnostics());
      copy.setEdit(action.getEdit());
      copy.setCommand(action.getCommand());
      compared.add(copy);
    }
    assertEquals(List.of(expected), compared);
  }

  /** The text with LSP edits applied (last first, so that earlier positions hold). */
  static String applied(String text, List<TextEdit> edits) {
    SourceText source = SourceText.of(text);
    StringBuilder result = new StringBuilder(text);
    edits.stream()
        .sorted(Comparator.comparing((TextEdit e) -> source.fromLsp(e.getRange().getStart().getLine(),
            e.getRange().getStart().getCharacter())).reversed())
        .forEach(e -> result.replace(
            source.fromLsp(e.getRange().getStart().getLine(), e.getRange().getStart().getCharacter()),
            source.fromLsp(e.getRange().getEnd().getLine(), e.getRange().getEnd().getCharacter()),
            e.getNewText()));
    return result.toString();
  }

  private static Diagnostic copy(Diagnostic diagnostic) {
    Diagnostic copy = new Diagnostic(diagnostic.getRange(), diagnostic.getMessage().getLeft(),
        diagnostic.getSeverity(), diagnostic.getSource(), diagnostic.getCode().getLeft());
    copy.setRelatedInformation(diagnostic.getRelatedInformation());
    copy.setCodeDescription(diagnostic.getCodeDescription());
    copy.setTags(diagnostic.getTags());
    copy.setData(diagnostic.getData());
    return copy;
  }
}
