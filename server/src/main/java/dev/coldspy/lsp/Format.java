package dev.coldspy.lsp;

import dev.coldspy.engine.ModuleRuns;
import dev.coldspy.engine.StatementCost;
import dev.coldspy.engine.Units;
import dev.coldspy.engine.UnusedPart;
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

  /**
   * What a statement's use at init adds to its usage: {@code ; used at init only (by handler)} when its code ran
   * only at init, called from outside it; {@code ; also used at init (by handler)}; empty when not at all.
   */
  static String initUse(StatementCost cost) {
    ModuleRuns.InitUse init = cost.initUse();
    if (!init.any()) {
      return "";
    }
    String by = init.callers().isEmpty() ? "" : " (by " + String.join(", ", init.callers()) + ")";
    return (cost.usedAtInitOnly() ? "; used at init only" : "; also used at init") + by;
  }

  /**
   * The unused parts of what a statement loaded, heaviest first, as a Markdown list: {@code igraph.drawing}
   * 337.0 ms (4 modules) — {@code igraph/__init__.py:3 → igraph.drawing → matplotlib}; empty when none.
   */
  static String unusedParts(StatementCost cost) {
    if (cost.unusedParts().isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("Never ran, heaviest first:\n");
    for (UnusedPart part : cost.unusedParts()) {
      md.append("- `").append(part.module()).append("` ").append(Units.ms(part.costUs())).append(" (")
          .append(part.moduleCount()).append(part.moduleCount() == 1 ? " module" : " modules").append(") — `")
          .append(part.chain()).append("`\n");
    }
    return md.toString();
  }

  /** {@code 12.3 MiB}, or null when not measured (negative). */
  static String memory(double bytes) {
    return bytes < 0 ? null : Units.mib(bytes);
  }
}
