package dev.coldspy.lsp;

import java.util.concurrent.ThreadFactory;

/**
 * Threads of the server's pools, named for thread dumps and daemons so that none keeps the JVM alive after
 * {@code exit}.
 */
final class DaemonThreads {
  private DaemonThreads() {}

  static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
