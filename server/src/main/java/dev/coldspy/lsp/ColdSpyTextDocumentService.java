package dev.coldspy.lsp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * LSP4J's text document endpoint: one line per method. Notifications update the {@link Workspace}; requests
 * run a pure service on the document's current analysis, asynchronously and cancellably.
 */
final class ColdSpyTextDocumentService implements TextDocumentService {
  private final Workspace workspace;
  private final Guard guard;

  ColdSpyTextDocumentService(Workspace workspace, ServerLog log) {
    this.workspace = workspace;
    this.guard = new Guard(log);
  }

  @Override
  public void didOpen(DidOpenTextDocumentParams params) {
    guard.run("didOpen", () -> workspace.open(params.getTextDocument()));
  }

  @Override
  public void didChange(DidChangeTextDocumentParams params) {
    guard.run("didChange", () -> workspace.change(params.getTextDocument(), params.getContentChanges()));
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    guard.run("didClose", () -> workspace.close(params.getTextDocument().getUri()));
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {
    guard.run("didSave", () -> workspace.save(params.getTextDocument().getUri()));
  }

  @Override
  public CompletableFuture<Hover> hover(HoverParams params) {
    return workspace.request(
        params.getTextDocument().getUri(),
        null,
        (analysis, cancel) -> HoverService.hover(analysis, params.getPosition(), cancel));
  }

  @Override
  public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams params) {
    return workspace.request(
        params.getTextDocument().getUri(),
        List.of(),
        (analysis, cancel) -> InlayHintService.hints(analysis, params.getRange(), cancel));
  }

  @Override
  public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
    return workspace.request(
        params.getTextDocument().getUri(),
        List.of(),
        (analysis, cancel) -> CodeActionService.actions(analysis, params.getRange(), cancel));
  }

  @Override
  public CompletableFuture<CodeAction> resolveCodeAction(CodeAction unresolved) {
    return workspace.resolveFix(unresolved);
  }

  @Override
  public CompletableFuture<List<? extends CodeLens>> codeLens(CodeLensParams params) {
    return workspace.request(
        params.getTextDocument().getUri(),
        List.of(),
        (analysis, cancel) -> CodeLensService.lenses(analysis, cancel));
  }
}
