package dev.coldspy.verify;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * How much a measure changed between the baseline and the current code: the ratio of the medians (after /
 * before) and its noise band. The band is the distribution-free 95 % confidence interval of the median of the
 * paired ratios (cold start i of the current code over cold start i of the baseline, run back to back, so that
 * slow drifts of machine load cancel): the k-th smallest to the k-th largest ratio, with the largest k whose
 * binomial coverage {@code 1 − 2·P(Binomial(n, ½) < k)} is at least 95 %. It assumes nothing about the shape
 * of the timing distribution. Fewer than {@value #MINIMUM_PAIRS} pairs have no such interval: nothing is then
 * called significant. A change whose band contains 1 is within the noise, and so is one under {@value
 * #MINIMUM_CHANGE} of the baseline.
 *
 * @param ratio median(after) / median(before); NaN when the median before is 0
 * @param low the band's lower end, NaN without a band
 * @param high the band's upper end, NaN without a band
 */
public record RatioEstimate(double ratio, double low, double high) {
  /** The confidence of the band. */
  static final double CONFIDENCE = 0.95;
  /** The fewest pairs with a 95 % interval: with 5, all five on one side happens by chance 1 time in 16. */
  static final int MINIMUM_PAIRS = 6;
  /** The smallest change attributed to the edit: 3 % of the baseline. */
  static final double MINIMUM_CHANGE = 0.03;

  /** Estimates the ratio from paired measurements (index i of each side ran in the same round). */
  public static RatioEstimate of(double[] before, double[] after) {
    double ratio = ratio(median(before), median(after));
    double[] pairs = new double[before.length];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = ratio(before[i], after[i]);
    }
    Arrays.sort(pairs); // NaN (a zero before) sorts last: it can only widen the band
    OptionalInt k = orderStatistic(pairs.length);
    if (k.isEmpty()) {
      return new RatioEstimate(ratio, Double.NaN, Double.NaN);
    }
    return new RatioEstimate(ratio, pairs[k.getAsInt() - 1], pairs[pairs.length - k.getAsInt()]);
  }

  /** Whether there is a band. */
  public boolean hasBand() {
    return !Double.isNaN(low) && !Double.isNaN(high);
  }

  /**
   * Whether the change is beyond the noise: the whole band lies on one side of 1, and the ratio differs from 1
   * by at least {@link #MINIMUM_CHANGE}. Two identical copies of an app in different folders can differ by a
   * steady percent or two (measured: fraud_scoring, 11 pairs, +2 % with a band clear of 1), which is no effect
   * of the edit.
   */
  public boolean significant() {
    return beyondBand() && Math.abs(ratio - 1) >= MINIMUM_CHANGE;
  }

  /** Whether the whole band lies on one side of 1, however small the change. */
  public boolean beyondBand() {
    return hasBand() && (high < 1 || low > 1);
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /**
   * The largest 1-based k such that [x(k), x(n+1−k)] covers the median with probability ≥ {@link #CONFIDENCE},
   * or empty when even [x(1), x(n)] falls short.
   */
  static OptionalInt orderStatistic(int n) {
    double below = 0; // P(Binomial(n, 1/2) < k), grown one k at a time
    double term = Math.pow(0.5, n); // P(Binomial(n, 1/2) = k - 1)
    int best = 0;
    for (int k = 1; 2 * k <= n; k++) {
      below += term;
      term = term * (n - (k - 1)) / k;
      if (1 - 2 * below < CONFIDENCE) {
        break;
      }
      best = k;
    }
    return best == 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  private static double ratio(double before, double after) {
    return before > 0 ? after / before : Double.NaN;
  }
}
