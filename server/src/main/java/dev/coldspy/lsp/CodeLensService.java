package dev.coldspy.lsp;

import java.util.List;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

final class CodeLensService {
  private CodeLensService() {}

  static List<CodeLens> lenses(DocumentAnalysis analysis, CancelChecker cancel) {
    return List.of();
  }
}
