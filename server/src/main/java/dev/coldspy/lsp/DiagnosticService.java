package dev.coldspy.lsp;

import com.google.gson.JsonObject;
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
import java.util.Optional;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/**
 * Diagnostics on import statements: one per finding, with the rule code, the engine's message (pattern, cost
 * per cold start, usage evidence, saving), the usage in the editor's words, where the code uses the module
 * (related information from the sampled call paths) and, when no fix is safe, why.
 */
final class DiagnosticService {
  /** What editors show before the code ({@code ColdSpy(CS102)} in VS Code): the product, as users write it. */
  static final String SOURCE = "ColdSpy";

  private DiagnosticService() {}

  static List<Diagnostic> diagnostics(DocumentAnalysis analysis, CancelChecker cancel) {
    return diagnostics(analysis, true, cancel);
  }

  /**
   * @param explainMissingFixes whether to plan the fixes to say why none is offered; planning costs more than
   *     the rest, so the server first publishes without it and then with it
   */
  static List<Diagnostic> diagnostics(DocumentAnalysis analysis, boolean explainMissingFixes, CancelChecker cancel) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (AnalysedStatement statement : analysis.statements()) {
      cancel.checkCanceled();
      statement.finding().ifPresent(
          finding -> diagnostics.add(diagnostic(analysis, statement, finding, explainMissingFixes)));
    }
    return diagnostics;
  }

  static Diagnostic diagnostic(
      DocumentAnalysis analysis, AnalysedStatement statement, Finding finding) {
    return diagnostic(analysis, statement, finding, true);
  }

  private static Diagnostic diagnostic(DocumentAnalysis analysis, AnalysedStatement statement,
      Finding finding, boolean explainMissingFixes) {
    Diagnostic diagnostic = new Diagnostic();
    diagnostic.setRange(analysis.rangeOf(statement.span()));
    diagnostic.setSeverity(severity(finding.severity()));
    diagnostic.setCode(finding.rule().code());
    diagnostic.setSource(SOURCE);
    StringBuilder message = new StringBuilder(finding.message());
    message.append("\n").append(Format.usageSentence(finding.cost().usage(), Format.initUse(finding.cost())));
    (explainMissingFixes ? FixPlans.noFixReason(analysis, statement) : Optional.<String>empty())
        .ifPresent(reason -> message.append("\nNo quick fix: ").append(reason));
    diagnostic.setMessage(message.toString());
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
    JsonObject data = new JsonObject();
    data.addProperty("line", finding.oneBasedLine());
    data.addProperty("column", finding.oneBasedColumn());
    data.addProperty("rule", finding.rule().code());
    diagnostic.setData(data);
    return diagnostic;
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
