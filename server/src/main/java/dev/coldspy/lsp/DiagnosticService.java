package dev.coldspy.lsp;

import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

final class DiagnosticService {
  private DiagnosticService() {}

  static List<Diagnostic> diagnostics(DocumentAnalysis analysis, CancelChecker cancel) {
    return List.of();
  }
}
