package dev.coldspy.lsp;

import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressNotification;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * {@code $/progress} of one long command (profiling, verifying): on the request's own {@code workDoneToken},
 * which the client already shows, else on a token the server creates, or nothing when the client can show
 * neither. A client that sent a token gets no second progress item.
 */
final class WorkProgress {
  private final LanguageClient client;
  private final Either<String, Integer> token;

  private WorkProgress(LanguageClient client, Either<String, Integer> token) {
    this.client = client;
    this.token = token;
  }

  /**
   * @param requestToken the request's {@code workDoneToken}, or null
   * @param serverToken the token to create when the request has none
   */
  static WorkProgress of(LanguageClient client, ClientFeatures features, Either<String, Integer> requestToken,
      String serverToken) {
    if (client == null || requestToken != null) {
      return new WorkProgress(client, requestToken);
    }
    if (!features.workDoneProgress()) {
      return new WorkProgress(client, null);
    }
    try {
      // A token the server creates must exist on the client before the first $/progress.
      client.createProgress(new WorkDoneProgressCreateParams(Either.forLeft(serverToken))).get(5, TimeUnit.SECONDS);
      return new WorkProgress(client, Either.forLeft(serverToken));
    } catch (Exception refused) {
      return new WorkProgress(client, null); // progress is a courtesy: run without it
    }
  }

  /** The token as {@code window/workDoneProgress/cancel} names it ("" without progress). */
  String token() {
    return tokenText(token);
  }

  static String tokenText(Either<String, Integer> token) {
    return token == null ? "" : token.isLeft() ? token.getLeft() : String.valueOf(token.getRight());
  }

  void begin(String title) {
    WorkDoneProgressBegin begin = new WorkDoneProgressBegin();
    begin.setTitle(title);
    begin.setCancellable(true);
    begin.setPercentage(0);
    send(begin);
  }

  /** A step: what is being done now, and how far along the whole is (0–100). */
  void report(String message, int percentage) {
    WorkDoneProgressReport report = new WorkDoneProgressReport();
    report.setMessage(message);
    report.setPercentage(Math.max(0, Math.min(100, percentage)));
    send(report);
  }

  void end(String message) {
    WorkDoneProgressEnd end = new WorkDoneProgressEnd();
    end.setMessage(message);
    send(end);
  }

  private void send(WorkDoneProgressNotification value) {
    if (client != null && token != null) {
      client.notifyProgress(new ProgressParams(token, Either.forLeft(value)));
    }
  }
}
