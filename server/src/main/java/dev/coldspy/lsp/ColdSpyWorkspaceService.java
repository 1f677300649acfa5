package dev.coldspy.lsp;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.services.WorkspaceService;

/** LSP4J's workspace endpoint: one line per method, all work in {@link Workspace}. */
final class ColdSpyWorkspaceService implements WorkspaceService {
  private final Workspace workspace;
  private final Guard guard;

  ColdSpyWorkspaceService(Workspace workspace, ServerLog log) {
    this.workspace = workspace;
    this.guard = new Guard(log);
  }

  @Override
  public void didChangeConfiguration(DidChangeConfigurationParams params) {
    guard.run("didChangeConfiguration", workspace::reloadSettings);
  }

  @Override
  public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
    guard.run("didChangeWatchedFiles", () -> workspace.filesChanged(params.getChanges()));
  }

  @Override
  public CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
    return workspace.executeCommand(params);
  }
}
