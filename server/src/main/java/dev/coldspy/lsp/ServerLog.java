package dev.coldspy.lsp;

import dev.coldspy.profile.PrintableText;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * Where the server's own messages go: the client's log ({@code window/logMessage}) once connected, stderr
 * before that or when the client cannot be reached (never both: an editor that shows the server's stderr
 * would show each message twice); for problems the user must act on, also a {@code window/showMessage} — each
 * distinct text once per session, so a broken setting does not nag on every keystroke. Never stdout: that is
 * the JSON-RPC stream. Every message is made printable ({@link #printable}): texts from profiles, file names
 * and the handler's output cannot drive a terminal or disguise a message.
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
    String text = printable(message);
    log(type, text);
    LanguageClient current = client;
    if (current != null && shown.add(text)) {
      try {
        current.showMessage(new MessageParams(type, "ColdSpy: " + text));
      } catch (RuntimeException unreachable) {
        // the connection is gone; the message is in the log
      }
    }
  }

  private void log(MessageType type, String message) {
    String text = printable(message);
    LanguageClient current = client;
    if (current != null) {
      try {
        current.logMessage(new MessageParams(type, text));
        return;
      } catch (RuntimeException unreachable) {
        // the connection is gone (the editor quit): stderr is all that is left
      }
    }
    stderr.println("coldspy " + type.name().toLowerCase() + ": " + text);
  }

  /**
   * The text with control and bidi-override characters escaped ({@link PrintableText}), line by line: a
   * multi-line message (a traceback) keeps its line breaks.
   */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    return text.lines().map(PrintableText::of).collect(Collectors.joining("\n"));
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
