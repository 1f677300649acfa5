package dev.coldspy.lsp;

import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.services.LanguageClient;

/** The editor as ColdSpy sees it: a standard LSP client plus one notification for the status bar. */
public interface ColdSpyLanguageClient extends LanguageClient {
  /**
   * {@code coldspy/status}: the handler's total init cost and the estimated saving, sent whenever they
   * change. Clients that do not know it ignore it (LSP requires that of unknown notifications).
   */
  @JsonNotification("coldspy/status")
  void status(StatusParams params);
}
