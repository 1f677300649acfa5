package dev.coldspy.lsp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.UnregistrationParams;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;

/** A language client for protocol tests: records everything the server sends and answers its requests. */
final class RecordingClient implements ColdSpyLanguageClient {
  final List<PublishDiagnosticsParams> diagnostics = new CopyOnWriteArrayList<>();
  final List<MessageParams> shownMessages = new CopyOnWriteArrayList<>();
  final List<MessageParams> logMessages = new CopyOnWriteArrayList<>();
  final List<StatusParams> statuses = new CopyOnWriteArrayList<>();
  final List<RegistrationParams> registrations = new CopyOnWriteArrayList<>();
  final List<ProgressParams> progress = new CopyOnWriteArrayList<>();
  /** Tokens the server created with {@code window/workDoneProgress/create}. */
  final List<String> createdProgress = new CopyOnWriteArrayList<>();
  final List<String> refreshes = new CopyOnWriteArrayList<>();
  /** What {@code workspace/configuration} answers for section {@code coldspy}. */
  final Map<String, Object> configuration = new ConcurrentHashMap<>();

  @Override
  public void telemetryEvent(Object object) {}

  @Override
  public void publishDiagnostics(PublishDiagnosticsParams params) {
    diagnostics.add(params);
  }

  @Override
  public void showMessage(MessageParams params) {
    shownMessages.add(params);
  }

  @Override
  public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void logMessage(MessageParams params) {
    logMessages.add(params);
  }

  @Override
  public void status(StatusParams params) {
    statuses.add(params);
  }

  @Override
  public CompletableFuture<List<Object>> configuration(ConfigurationParams params) {
    return CompletableFuture.completedFuture(
        params.getItems().stream().map(item -> (Object) Map.copyOf(configuration)).toList());
  }

  @Override
  public CompletableFuture<Void> registerCapability(RegistrationParams params) {
    registrations.add(params);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> unregisterCapability(UnregistrationParams params) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> createProgress(WorkDoneProgressCreateParams params) {
    createdProgress.add(WorkProgress.tokenText(params.getToken()));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void notifyProgress(ProgressParams params) {
    progress.add(params);
  }

  @Override
  public CompletableFuture<Void> refreshInlayHints() {
    refreshes.add("inlayHint");
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> refreshCodeLenses() {
    refreshes.add("codeLens");
    return CompletableFuture.completedFuture(null);
  }

  /** The latest diagnostics published for a URI that satisfy the condition, waiting up to 30 s (polling). */
  PublishDiagnosticsParams awaitDiagnostics(String uri, Predicate<PublishDiagnosticsParams> condition) {
    return Await.until(
        "diagnostics for " + uri,
        () -> {
          for (int i = diagnostics.size() - 1; i >= 0; i--) {
            PublishDiagnosticsParams params = diagnostics.get(i);
            if (params.getUri().equals(uri)) {
              return condition.test(params) ? params : null;
            }
          }
          return null;
        });
  }
}
