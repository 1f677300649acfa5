package dev.coldspy.lsp;

import dev.coldspy.lsp.ColdSpyLanguageServer.ClientFeatures;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.services.LanguageClient;

final class ProfileRunner {
  private final ServerLog log;

  ProfileRunner(ServerLog log) {
    this.log = log;
  }

  CompletableFuture<Object> run(List<Object> arguments, AnalysisContext context, List<Path> roots,
      LanguageClient client, ClientFeatures features) {
    return CompletableFuture.completedFuture(null);
  }
}
