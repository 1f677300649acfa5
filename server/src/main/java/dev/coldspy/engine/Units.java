package dev.coldspy.engine;

import java.util.Locale;

/** Formats quantities the same way everywhere (messages must be byte-identical run to run). */
public final class Units {
  private Units() {}

  /** Microseconds as milliseconds with one decimal: {@code 312.6 ms}. */
  public static String ms(double micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  /** A count with thousands separators: {@code 86,689}. */
  public static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** Bytes in MiB with one decimal. */
  public static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
