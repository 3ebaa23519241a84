package io.streamml.transforms.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each metric on small examples worked by hand. */
class BinaryMetricsTest {

  // Scores 0.1..0.9 with labels 0 0 1 0 1 1 (sorted by score).
  private static final float[] SCORES = {0.1f, 0.4f, 0.35f, 0.8f, 0.65f, 0.9f};
  private static final float[] LABELS = {0, 0, 1, 1, 0, 1};

  @Test
  void aucRocCountsCorrectlyOrderedPairs() {
    // Positives 0.35, 0.8, 0.9; negatives 0.1, 0.4, 0.65: pairs ranked right = 1 + 3 + 3 = 7 of 9.
    assertEquals(7.0 / 9, BinaryMetrics.aucRoc(SCORES, LABELS), 1e-12);
  }

  @Test
  void aucRocCountsTiesAsHalf() {
    assertEquals(0.5, BinaryMetrics.aucRoc(new float[] {0.3f, 0.3f}, new float[] {1, 0}), 1e-12);
  }

  @Test
  void averagePrecisionAveragesPrecisionAtEachPositive() {
    // Ranked: 0.9(1) 0.8(1) 0.65(0) 0.4(0) 0.35(1) 0.1(0): (1/1 + 2/2 + 3/5) / 3.
    assertEquals((1 + 1 + 0.6) / 3, BinaryMetrics.aucPr(SCORES, LABELS), 1e-12);
  }

  @Test
  void logLossIsTheMeanNegativeLogLikelihood() {
    double expected = -(Math.log(0.8) + Math.log(0.75)) / 2;
    assertEquals(
        expected, BinaryMetrics.logLoss(new float[] {0.8f, 0.25f}, new float[] {1, 0}), 1e-6);
  }

  @Test
  void precisionAndRecallAtAThreshold() {
    // At 0.6: alerts 0.65, 0.8, 0.9 -> 2 true of 3; recall 2 of 3 positives.
    assertArrayEquals(
        new double[] {2.0 / 3, 2.0 / 3}, BinaryMetrics.precisionRecall(SCORES, LABELS, 0.6), 1e-12);
  }

  @Test
  void thresholdForAlertRateAlertsOnTheTopShare() {
    assertEquals(0.8f, BinaryMetrics.thresholdForAlertRate(SCORES, 2.0 / 6), 1e-7);
  }

  @Test
  void thresholdForPrecisionIsTheLowestThatKeepsIt() {
    // Ranked: 0.9(1) 0.8(1) 0.65(0) 0.4(0) 0.35(1) 0.1(0). Precision at 0.8 is 1, at 0.65 is 2/3,
    // at 0.35 is 3/5: the lowest threshold with precision >= 0.6 is 0.35.
    assertEquals(0.35f, BinaryMetrics.thresholdForPrecision(SCORES, LABELS, 0.6), 1e-7);
    assertEquals(0.8f, BinaryMetrics.thresholdForPrecision(SCORES, LABELS, 0.9), 1e-7);
    assertEquals(Double.NaN, BinaryMetrics.thresholdForPrecision(SCORES, new float[6], 0.5));
  }
}
