package dev.coldspy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RatioEstimateTest {
  @Test
  void theBandUsesTheWidestOrderStatisticsWithNinetyFivePercentCoverage() {
    assertEquals(OptionalInt.empty(), RatioEstimate.orderStatistic(5)); // [min, max] covers 93.75 %
    assertEquals(OptionalInt.of(1), RatioEstimate.orderStatistic(6)); // 96.9 %
    assertEquals(OptionalInt.of(2), RatioEstimate.orderStatistic(10)); // 97.9 %; k = 3 would be 89 %
    assertEquals(OptionalInt.of(10), RatioEstimate.orderStatistic(30)); // 95.7 %; k = 11 would be 90.1 %
  }

  @Test
  void aChangeSeenInAlmostEveryPairIsSignificant() {
    double[] before = {100, 110, 95, 105, 120, 100, 98, 101, 103, 99};
    double[] after = {60, 70, 58, 66, 75, 64, 101, 62, 61, 63};

    RatioEstimate estimate = RatioEstimate.of(before, after);

    assertEquals(63.5 / 100.5, estimate.ratio(), 1e-9);
    // Paired ratios sorted: the 2nd smallest and the 2nd largest.
    assertEquals(0.6, estimate.low(), 1e-9);
    assertEquals(0.64, estimate.high(), 1e-9);
    assertTrue(estimate.significant());
  }

  @Test
  void pairsOnBothSidesOfOneAreNoise() {
    double[] before = {100, 100, 100, 100, 100, 100};
    double[] after = {90, 110, 95, 105, 99, 101};

    RatioEstimate estimate = RatioEstimate.of(before, after);

    assertEquals(0.9, estimate.low(), 1e-9);
    assertEquals(1.1, estimate.high(), 1e-9);
    assertFalse(estimate.significant());
  }

  @Test
  void aSteadyChangeUnderThreePercentIsNotAttributedToTheEdit() {
    double[] before = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
    double[] after = {102, 102, 103, 101, 102, 102, 101, 102, 103, 102, 102};

    RatioEstimate estimate = RatioEstimate.of(before, after);

    assertTrue(estimate.beyondBand());
    assertFalse(estimate.significant());
    double[] fourPercent = {104, 104, 105, 103, 104, 104, 103, 104, 105, 104, 104};
    assertTrue(RatioEstimate.of(before, fourPercent).significant());
  }

  @Test
  void tooFewPairsHaveNoBandAndNothingIsSignificant() {
    RatioEstimate estimate = RatioEstimate.of(new double[] {100, 100, 100}, new double[] {10, 10, 10});

    assertEquals(0.1, estimate.ratio(), 1e-9);
    assertFalse(estimate.hasBand());
    assertFalse(estimate.significant());
  }
}
