package dev.coldspy.verify;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How much a measure changed between two sets of cold starts: the ratio of the medians (after / before) and
 * its noise band, the 95 % percentile-bootstrap interval of that ratio (each side resampled with replacement).
 * A change whose band contains 1 is within the noise. The resampling is seeded, so the same measurements give
 * the same band.
 *
 * @param ratio median(after) / median(before); NaN when the median before is 0
 * @param low the band's lower end
 * @param high the band's upper end
 */
public record RatioEstimate(double ratio, double low, double high) {
  static final int RESAMPLES = 2000;
  private static final long SEED = 0x5eedL;

  /** Estimates the ratio from the measurements of each side (at least one each). */
  public static RatioEstimate of(double[] before, double[] after) {
    double ratio = ratio(median(before), median(after));
    SplittableRandom random = new SplittableRandom(SEED);
    double[] ratios = new double[RESAMPLES];
    double[] resampledBefore = new double[before.length];
    double[] resampledAfter = new double[after.length];
    for (int i = 0; i < RESAMPLES; i++) {
      resample(before, resampledBefore, random);
      resample(after, resampledAfter, random);
      ratios[i] = ratio(median(resampledBefore), median(resampledAfter));
    }
    Arrays.sort(ratios); // NaN sorts last, so a degenerate side leaves the upper end NaN: not significant
    return new RatioEstimate(ratio, ratios[(int) (RESAMPLES * 0.025)], ratios[(int) (RESAMPLES * 0.975) - 1]);
  }

  /** Whether the change is beyond the noise: the whole band lies on one side of 1. */
  public boolean significant() {
    return high < 1 || low > 1;
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static double ratio(double before, double after) {
    return before > 0 ? after / before : Double.NaN;
  }

  private static void resample(double[] values, double[] into, SplittableRandom random) {
    for (int i = 0; i < into.length; i++) {
      into[i] = values[random.nextInt(values.length)];
    }
  }
}
