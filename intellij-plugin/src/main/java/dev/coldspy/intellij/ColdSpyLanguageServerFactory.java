package dev.coldspy.intellij;

import com.intellij.openapi.project.Project;
import com.redhat.devtools.lsp4ij.LanguageServerFactory;
import com.redhat.devtools.lsp4ij.server.StreamConnectionProvider;
import org.jetbrains.annotations.NotNull;

/**
 * Registered in plugin.xml under {@code com.redhat.devtools.lsp4ij.server}: LSP4IJ asks it for the process
 * that runs the ColdSpy language server. Diagnostics, inlay hints, hover and quick-fixes are LSP4IJ's own
 * rendering of what the server sends; the gutter icons come from {@link ImportCostGutterAnnotator}.
 */
public final class ColdSpyLanguageServerFactory implements LanguageServerFactory {

  @Override
  public @NotNull StreamConnectionProvider createConnectionProvider(@NotNull Project project) {
    return new ColdSpyServerProcess(project);
  }
}
