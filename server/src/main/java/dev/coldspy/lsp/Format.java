package dev.coldspy.lsp;

import dev.coldspy.engine.UsageEvidence;
import dev.coldspy.engine.Units;
import java.util.Locale;

/** How the editor shows quantities: short enough for an inlay hint, the same everywhere. */
final class Format {
  private Format() {}

  /** {@code 1.05 s}, {@code 312 ms}, {@code 4.2 ms}, {@code 0 ms}. */
  static String duration(double micros) {
    double ms = micros / 1000.0;
    if (ms >= 1000) {
      return String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }
    if (ms >= 10) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    if (ms == 0) {
      return "0 ms";
    }
    return String.format(Locale.ROOT, "%.1f ms", ms);
  }

  /** {@code 57 samples}, {@code 1 sample}. */
  static String samples(long count) {
    return Units.count(count) + (count == 1 ? " sample" : " samples");
  }

  /**
   * {@code used in 2 of 40 cold starts; 57 of 86,689 samples}, or what is known instead: no usage evidence at
   * all (importtime logs), or no samples (exact signal only).
   */
  static String usage(UsageEvidence usage) {
    if (!usage.known()) {
      return "usage unknown (the profiles hold no samples)";
    }
    StringBuilder text = new StringBuilder();
    text.append("used in ").append(usage.coldStartsUsed()).append(" of ").append(usage.coldStarts())
        .append(usage.coldStarts() == 1 ? " cold start" : " cold starts");
    if (usage.totalSamples() > 0) {
      text.append("; ").append(Units.count(usage.samples())).append(" of ")
          .append(samples(usage.totalSamples()));
    }
    return text.toString();
  }

  /** {@link #usage} as a sentence of its own: {@code Used in 2 of 40 cold starts; 57 of 86,689 samples.} */
  static String usageSentence(UsageEvidence usage) {
    String text = usage(usage);
    return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
  }

  /** {@code 12.3 MiB}, or null when not measured (negative). */
  static String memory(double bytes) {
    return bytes < 0 ? null : Units.mib(bytes);
  }
}
