package dev.coldspy.lsp;

import com.google.gson.JsonObject;
import dev.coldspy.engine.CompileFinding;
import dev.coldspy.engine.Finding;
import dev.coldspy.engine.LibraryLine;
import dev.coldspy.engine.PaidBy;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UnusedPart;
import dev.coldspy.engine.UseSite;
import dev.coldspy.project.ProjectAnalysis.AnalysedStatement;
import dev.coldspy.rules.RuleCode;
import dev.coldspy.rules.Severity;
import dev.coldspy.text.LspPosition;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Diagnostics on import statements (and CS107 on the handler's {@code def}): one per finding, with the rule code, the engine's short message (what and
 * how much, at most 120 characters: the same line {@code check} prints) and where the code uses the module
 * (related information from the sampled call paths). Everything longer (usage evidence, advice, why no fix is
 * safe) is in the hover, which VS Code shows just below the message.
 */
final class DiagnosticService {
  /** What editors show before the code ({@code ColdSpy(CS102)} in VS Code): the product, as users write it. */
  static final String SOURCE = "ColdSpy";

  private DiagnosticService() {}

  static List<Diagnostic> diagnostics(DocumentAnalysis analysis, CancelChecker cancel) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (AnalysedStatement statement : analysis.statements()) {
      cancel.checkCanceled();
      statement.finding().ifPresent(finding -> diagnostics.add(diagnostic(analysis, statement, finding)));
    }
    analysis.compileFinding().ifPresent(compile -> diagnostics.add(diagnostic(analysis, compile)));
    return diagnostics;
  }

  /** CS107 on the handler's {@code def} line: no import is at fault, the deployment lacks bytecode. */
  static Diagnostic diagnostic(DocumentAnalysis analysis, CompileFinding compile) {
    Diagnostic diagnostic = new Diagnostic();
    diagnostic.setRange(analysis.rangeOfLine(compile.oneBasedLine(), compile.oneBasedColumn()));
    diagnostic.setSeverity(severity(compile.severity()));
    diagnostic.setCode(compile.rule().code());
    diagnostic.setSource(SOURCE);
    diagnostic.setMessage(compile.message());
    diagnostic.setData(data(compile.oneBasedLine(), compile.oneBasedColumn(), compile.rule()));
    return diagnostic;
  }

  static Diagnostic diagnostic(DocumentAnalysis analysis, AnalysedStatement statement, Finding finding) {
    Diagnostic diagnostic = new Diagnostic();
    diagnostic.setRange(analysis.rangeOf(statement.span()));
    diagnostic.setSeverity(severity(finding.severity()));
    diagnostic.setCode(finding.rule().code());
    diagnostic.setSource(SOURCE);
    diagnostic.setMessage(finding.message());
    List<DiagnosticRelatedInformation> related = new ArrayList<>();
    // an unused part of a library: first the library's own line that imports it, where the waste is
    if (finding.rule() == RuleCode.UNUSED_PART) {
      for (UnusedPart part : finding.cost().unusedParts()) {
        if (part.libraryLine() != null) {
          related.add(new DiagnosticRelatedInformation(libraryLocation(analysis, part.libraryLine()),
              "imports " + part.module() + " (" + Units.ms(part.costUs()) + ", never ran): " + part.chain()));
        }
      }
    }
    for (UseSite use : finding.useSites()) {
      related.add(new DiagnosticRelatedInformation(
          lineLocation(analysis, use.file(), use.oneBasedLine()),
          "used here, in " + use.function() + " (" + Format.samples(use.samples()) + ")"));
    }
    for (PaidBy paid : finding.cost().paidBy()) {
      related.add(new DiagnosticRelatedInformation(
          lineLocation(analysis, paid.file(), paid.oneBasedLine()), paid.module() + " is loaded first here"));
    }
    if (!related.isEmpty()) {
      diagnostic.setRelatedInformation(related);
    }
    diagnostic.setData(data(finding.oneBasedLine(), finding.oneBasedColumn(), finding.rule()));
    return diagnostic;
  }

  /** Where the engine put the finding (1-based, as {@code check} prints it) and its rule. */
  private static JsonObject data(int oneBasedLine, int oneBasedColumn, RuleCode rule) {
    JsonObject data = new JsonObject();
    data.addProperty("line", oneBasedLine);
    data.addProperty("column", oneBasedColumn);
    data.addProperty("rule", rule.code());
    return data;
  }

  static DiagnosticSeverity severity(Severity severity) {
    return switch (severity) {
      case ERROR -> DiagnosticSeverity.Error;
      case WARNING -> DiagnosticSeverity.Warning;
      case INFO -> DiagnosticSeverity.Information;
      case HINT -> DiagnosticSeverity.Hint;
    };
  }

  /**
   * A library's own line: its file in the workspace when the library ships in the application's folder (the
   * profile's app root maps onto it), else the recorded path (inside site-packages on the profiled machine).
   */
  private static Location libraryLocation(DocumentAnalysis analysis, LibraryLine line) {
    Position start = DocumentAnalysis.lsp(LspPosition.startOfOneBasedLine(line.oneBasedLine()));
    return new Location(analysis.libraryFileUri(line.file()), new Range(start, start));
  }

  /** The start of a 1-based line of a file the engine named by path (the related file is not parsed here). */
  private static Location lineLocation(DocumentAnalysis analysis, String displayPath, int oneBasedLine) {
    Position start = DocumentAnalysis.lsp(LspPosition.startOfOneBasedLine(oneBasedLine));
    return new Location(analysis.uriOf(displayPath), new Range(start, start));
  }
}
