package dev.coldspy.lsp;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * Where the server's own messages go: stderr always (editors keep it in their output panel), the client's log
 * ({@code window/logMessage}) once connected, and for problems the user must act on, a {@code
 * window/showMessage} — each distinct text once per session, so a broken setting does not nag on every
 * keystroke. Never stdout: that is the JSON-RPC stream.
 */
final class ServerLog {
  private final PrintStream stderr;
  private final Set<String> shown = ConcurrentHashMap.newKeySet();
  private volatile LanguageClient client;

  ServerLog(PrintStream stderr) {
    this.stderr = stderr;
  }

  void connect(LanguageClient client) {
    this.client = client;
  }

  void info(String message) {
    log(MessageType.Info, message);
  }

  void warn(String message) {
    log(MessageType.Warning, message);
  }

  void error(String message, Throwable cause) {
    String text = cause == null ? message : message + ": " + describe(cause);
    log(MessageType.Error, text);
    if (cause != null && Boolean.getBoolean("coldspy.debug")) {
      cause.printStackTrace(stderr);
    }
  }

  /** Logs, and tells the user once per distinct message. */
  void tellUser(MessageType type, String message) {
    log(type, message);
    LanguageClient current = client;
    if (current != null && shown.add(message)) {
      current.showMessage(new MessageParams(type, "ColdSpy: " + message));
    }
  }

  private void log(MessageType type, String message) {
    stderr.println("coldspy " + type.name().toLowerCase() + ": " + message);
    LanguageClient current = client;
    if (current != null) {
      current.logMessage(new MessageParams(type, message));
    }
  }

  static String describe(Throwable error) {
    Throwable root = error;
    while ((root instanceof java.util.concurrent.CompletionException
            || root instanceof java.util.concurrent.ExecutionException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
