package dev.coldspy.lsp;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for an asynchronous outcome instead of sleeping a fixed time. */
final class Await {
  private static final long TIMEOUT_MS = 30_000;

  private Await() {}

  static <T> T until(String what, Supplier<T> probe) {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + TIMEOUT_MS + " ms waiting for " + what);
  }

  static void until(String what, BooleanSupplier condition) {
    until(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }
}
