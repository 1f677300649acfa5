package dev.coldspy.lsp;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends the server when the editor that started it is gone. Editors that crash never send {@code exit}, and a
 * server blocked on a stdin that nobody closes would live forever; polling the parent's process id (given in
 * {@code initialize}) is the portable way to notice.
 */
final class ParentProcessWatcher implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "coldspy-parent-watcher");
            thread.setDaemon(true);
            return thread;
          });

  ParentProcessWatcher(long parentPid, Duration interval, Runnable onParentGone) {
    timer.scheduleWithFixedDelay(
        () -> {
          boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
          if (!alive) {
            timer.shutdown();
            onParentGone.run();
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
