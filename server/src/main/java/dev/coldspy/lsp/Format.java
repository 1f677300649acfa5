package dev.coldspy.lsp;

import dev.coldspy.engine.Units;
import dev.coldspy.engine.UsageEvidence;

/**
 * How the editor words usage evidence and memory; durations are {@link Units#ms} as in every message, so a
 * hover never shows one cost two ways.
 */
final class Format {
  private Format() {}

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
