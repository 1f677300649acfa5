package dev.coldspy.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Formats quantities the same way everywhere (messages must be byte-identical run to run). */
public final class Units {
  private Units() {}

  /** Microseconds as milliseconds with one decimal: {@code 312.6 ms}. */
  public static String ms(double micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  /**
   * Microseconds as a rounded figure for short messages: whole milliseconds from 10 ms ({@code 457 ms}),
   * one decimal below ({@code 4.2 ms}).
   */
  public static String roundMs(double micros) {
    double ms = micros / 1000.0;
    return String.format(Locale.ROOT, Math.abs(ms) >= 10 ? "%.0f ms" : "%.1f ms", ms);
  }

  /** A count with thousands separators: {@code 86,689}. */
  public static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** Bytes in MiB with one decimal. */
  public static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** Microseconds as a JSON number of milliseconds with three decimals (exact, so output is stable). */
  public static BigDecimal msNumber(double micros) {
    return BigDecimal.valueOf(micros).movePointLeft(3).setScale(3, RoundingMode.HALF_EVEN);
  }
}
