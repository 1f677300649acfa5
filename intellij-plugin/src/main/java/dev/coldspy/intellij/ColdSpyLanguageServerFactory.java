package dev.coldspy.intellij;

import com.intellij.openapi.project.Project;
import com.redhat.devtools.lsp4ij.LanguageServerFactory;
import com.redhat.devtools.lsp4ij.client.LanguageClientImpl;
import com.redhat.devtools.lsp4ij.client.features.LSPClientFeatures;
import com.redhat.devtools.lsp4ij.server.StreamConnectionProvider;
import org.jetbrains.annotations.NotNull;

/**
 * Registered in plugin.xml under {@code com.redhat.devtools.lsp4ij.server}: LSP4IJ asks it for the process
 * that runs the ColdSpy language server, the client that takes the server's {@code coldspy/status}, and the
 * client features that report the server's start and stop. Diagnostics, inlay hints, hover and quick-fixes
 * are LSP4IJ's own rendering of what the server sends; the gutter icons come from {@link
 * ImportCostGutterAnnotator}, the status bar text from {@link ColdSpyStatusWidgetFactory}.
 */
public final class ColdSpyLanguageServerFactory implements LanguageServerFactory {

  @Override
  public @NotNull StreamConnectionProvider createConnectionProvider(@NotNull Project project) {
    return new ColdSpyServerProcess(project);
  }

  @Override
  public @NotNull LanguageClientImpl createLanguageClient(@NotNull Project project) {
    return new ColdSpyLanguageClient(project);
  }

  @Override
  public @NotNull LSPClientFeatures createClientFeatures() {
    return new ColdSpyClientFeatures();
  }
}
