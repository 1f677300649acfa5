package dev.coldspy.lsp;

import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;

final class HoverService {
  private HoverService() {}

  static Hover hover(DocumentAnalysis analysis, Position position, CancelChecker cancel) {
    return null;
  }
}
