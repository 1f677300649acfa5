package dev.coldspy.profile;

import java.util.Arrays;

/**
 * Summary of one quantity over cold starts (e.g. a module's cumulative import time).
 * Percentiles interpolate linearly between closest ranks (as numpy's default), so the median of
 * {@code [10, 20]} is 15.
 *
 * @param count number of values (0 for an empty distribution, whose other fields are 0)
 * @param min smallest value
 * @param median 50th percentile
 * @param p90 90th percentile
 * @param max largest value
 * @param mean arithmetic mean
 */
public record Distribution(int count, long min, double median, double p90, long max, double mean) {
  /** No values. */
  public static final Distribution EMPTY = new Distribution(0, 0, 0, 0, 0, 0);

  /** The distribution of {@code values}; the array is sorted in place. */
  static Distribution ofSortingInPlace(long[] values, int length) {
    if (length == 0) {
      return EMPTY;
    }
    Arrays.sort(values, 0, length);
    double sum = 0;
    for (int i = 0; i < length; i++) {
      sum += values[i];
    }
    return new Distribution(length, values[0], percentile(values, length, 0.5),
        percentile(values, length, 0.9), values[length - 1], sum / length);
  }

  /** The distribution of the given values (not modified). */
  public static Distribution of(long... values) {
    return ofSortingInPlace(values.clone(), values.length);
  }

  private static double percentile(long[] sorted, int length, double fraction) {
    double rank = fraction * (length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }

  /** True when there are no values. */
  public boolean isEmpty() {
    return count == 0;
  }
}
