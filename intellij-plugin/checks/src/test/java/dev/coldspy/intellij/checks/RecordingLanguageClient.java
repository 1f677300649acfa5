package dev.coldspy.intellij.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.UnregistrationParams;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * The client side of the conversation as LSP4IJ holds it for a user-defined server: configuration answered
 * from the template's settings.json, dynamic registrations, progress and refresh requests accepted, and
 * every published diagnostic and log message recorded for the test to inspect.
 */
final class RecordingLanguageClient implements LanguageClient {
  private final Lsp4ijTemplate template;
  private final Map<String, List<Diagnostic>> diagnostics = new ConcurrentHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();

  RecordingLanguageClient(Lsp4ijTemplate template) {
    this.template = template;
  }

  @Override
  public CompletableFuture<List<Object>> configuration(ConfigurationParams params) {
    List<Object> answers = new ArrayList<>();
    params.getItems().forEach(item -> answers.add(template.settingsSection(item.getSection())));
    return CompletableFuture.completedFuture(answers);
  }

  @Override
  public void publishDiagnostics(PublishDiagnosticsParams params) {
    diagnostics.put(params.getUri(), List.copyOf(params.getDiagnostics()));
    synchronized (this) {
      notifyAll();
    }
  }

  /**
   * Waits until the diagnostics last published for {@code uri} satisfy {@code expected}; returns them, or
   * fails naming what was published and what the server logged.
   */
  synchronized List<Diagnostic> awaitDiagnostics(String uri, Predicate<List<Diagnostic>> expected, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Diagnostic> published = diagnostics.get(uri);
      if (published != null && expected.test(published)) {
        return published;
      }
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new AssertionError(
            "no matching diagnostics for " + uri + " within " + timeout + "; published: " + diagnostics
                + "; server log: " + log);
      }
      wait(left);
    }
  }

  @Override
  public void logMessage(MessageParams message) {
    log.add(message.getType() + ": " + message.getMessage());
  }

  @Override
  public void showMessage(MessageParams message) {
    log.add("shown " + message.getType() + ": " + message.getMessage());
  }

  @Override
  public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
    log.add("asked " + request.getType() + ": " + request.getMessage());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void telemetryEvent(Object object) {}

  @Override
  public CompletableFuture<Void> registerCapability(RegistrationParams params) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> unregisterCapability(UnregistrationParams params) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> createProgress(WorkDoneProgressCreateParams params) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void notifyProgress(ProgressParams params) {}

  @Override
  public CompletableFuture<Void> refreshInlayHints() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> refreshCodeLenses() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> refreshDiagnostics() {
    return CompletableFuture.completedFuture(null);
  }
}
