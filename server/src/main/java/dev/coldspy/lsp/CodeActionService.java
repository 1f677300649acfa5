package dev.coldspy.lsp;

import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.CancelChecker;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

final class CodeActionService {
  private CodeActionService() {}

  static List<Either<Command, CodeAction>> actions(DocumentAnalysis analysis, Range range, CancelChecker cancel) {
    return List.of();
  }

  static String documentOf(CodeAction action) {
    return "";
  }

  static CodeAction resolve(DocumentAnalysis analysis, CodeAction action, CancelChecker cancel) {
    return action;
  }
}
