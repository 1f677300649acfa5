package dev.coldspy.lsp;

import org.eclipse.lsp4j.jsonrpc.CancelChecker;

/** WIP: the engine's findings for one document at one version. */
final class DocumentAnalysis {
  private final TextDocument document;
  private final AnalysisContext context;

  private DocumentAnalysis(TextDocument document, AnalysisContext context) {
    this.document = document;
    this.context = context;
  }

  static DocumentAnalysis analyse(TextDocument document, AnalysisContext context, CancelChecker cancel) {
    return new DocumentAnalysis(document, context);
  }

  boolean isFor(TextDocument other, AnalysisContext otherContext) {
    return document.version() == other.version() && document.text() == other.text() && context == otherContext;
  }

  boolean isNewerThan(DocumentAnalysis other) {
    return document.version() > other.document.version();
  }
}
