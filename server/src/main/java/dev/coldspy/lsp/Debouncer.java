package dev.coldspy.lsp;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the last task submitted for a key once the key has been quiet for the delay: while the user types,
 * only the text after the last keystroke of a burst is analysed. Tasks must be short (they hand work to an
 * executor); the timer thread only schedules.
 */
final class Debouncer implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "coldspy-debounce");
            thread.setDaemon(true);
            return thread;
          });
  private final ConcurrentHashMap<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

  void submit(String key, Duration delay, Runnable task) {
    pending.compute(
        key,
        (k, previous) -> {
          if (previous != null) {
            previous.cancel(false);
          }
          return timer.schedule(
              () -> {
                pending.remove(k);
                task.run();
              },
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
        });
  }

  /** Forgets a pending task (the document was closed, or is being analysed right now anyway). */
  void cancel(String key) {
    ScheduledFuture<?> previous = pending.remove(key);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
