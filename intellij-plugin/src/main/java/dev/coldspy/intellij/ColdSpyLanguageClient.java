package dev.coldspy.intellij;

import com.intellij.openapi.project.Project;
import com.redhat.devtools.lsp4ij.client.LanguageClientImpl;
import dev.coldspy.intellij.core.StatusParams;
import dev.coldspy.intellij.core.StatusText;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;

/**
 * LSP4IJ's client plus the server's own notification {@code coldspy/status} (the handler's init cost and the
 * possible saving, or no profile), which feeds the status bar widget. LSP4J finds the annotated method on this
 * class when LSP4IJ connects it to the server.
 */
public final class ColdSpyLanguageClient extends LanguageClientImpl {

  public ColdSpyLanguageClient(Project project) {
    super(project);
  }

  @JsonNotification("coldspy/status")
  public void status(StatusParams params) {
    ColdSpyStatus.getInstance(getProject()).show(StatusText.of(params));
  }
}
