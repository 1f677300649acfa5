package dev.coldspy.lsp;

/**
 * Runs a notification handler so that no input can kill the server: LSP4J would only log a thrown exception
 * from a notification to stderr; here it also reaches the client's log with the method it came from.
 */
final class Guard {
  private final ServerLog log;

  Guard(ServerLog log) {
    this.log = log;
  }

  void run(String method, Runnable handler) {
    try {
      handler.run();
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError failure) {
      log.error(method + " failed", failure);
    }
  }
}
