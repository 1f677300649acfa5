package dev.coldspy.lsp;

import java.util.List;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

final class InlayHintService {
  private InlayHintService() {}

  static List<InlayHint> hints(DocumentAnalysis analysis, Range range, CancelChecker cancel) {
    return List.of();
  }
}
