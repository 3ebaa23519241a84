package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Each statistic against values worked by hand (the arithmetic is in the comments). */
@RunWith(JUnit4.class)
public class DriftStatisticsTest {

  private static final double TOLERANCE = 1e-6;

  @Test
  public void psiOfIdenticalSharesIsZero() {
    assertEquals(0, DriftStatistics.psi(new long[] {10, 30, 60}, new long[] {1, 3, 6}), 0);
  }

  @Test
  public void psiOfAHalfHalfToQuarterThreeQuartersShift() {
    // (0.25-0.5) ln(0.25/0.5) + (0.75-0.5) ln(0.75/0.5) = 0.1732868 + 0.1013663
    assertEquals(
        0.2746531, DriftStatistics.psi(new long[] {50, 50}, new long[] {25, 75}), TOLERANCE);
  }

  @Test
  public void psiFloorsAnEmptyReferenceBinInsteadOfGoingInfinite() {
    // e = [1, 0.0001] (floored), a = [0.5, 0.5]:
    // (0.5-1) ln(0.5) + (0.5-0.0001) ln(0.5/0.0001) = 0.3465736 + 0.4999 * 8.5171932
    double psi = DriftStatistics.psi(new long[] {100, 0}, new long[] {50, 50});
    assertEquals(0.3465736 + 0.4999 * 8.5171932, psi, TOLERANCE);
    assertTrue(Double.isFinite(DriftStatistics.psi(new long[] {0, 100}, new long[] {100, 0})));
  }

  @Test
  public void jensenShannonDistanceIsZeroForIdenticalAndOneForDisjointShares() {
    assertEquals(
        0, DriftStatistics.jensenShannonDistance(new long[] {2, 8}, new long[] {20, 80}), 0);
    assertEquals(
        1, DriftStatistics.jensenShannonDistance(new long[] {7, 0}, new long[] {0, 3}), TOLERANCE);
  }

  @Test
  public void jensenShannonDistanceOfAHalfHalfToQuarterThreeQuartersShift() {
    // m = [0.375, 0.625]; KL(p||m) = 0.5 log2(0.5/0.375) + 0.5 log2(0.5/0.625) = 0.0465543;
    // KL(q||m) = 0.25 log2(0.25/0.375) + 0.75 log2(0.75/0.625) = 0.0510349;
    // JSD = (0.0465543 + 0.0510349) / 2 = 0.0487946; distance = sqrt(JSD)
    assertEquals(
        Math.sqrt(0.0487946),
        DriftStatistics.jensenShannonDistance(new long[] {50, 50}, new long[] {25, 75}),
        TOLERANCE);
  }

  @Test
  public void ksStatisticIsTheLargestGapBetweenCumulativeShares() {
    // cumulative: reference 0.5, 1.0, 1.0; current 0.0, 0.5, 1.0
    assertEquals(0.5, DriftStatistics.ksStatistic(new long[] {50, 50, 0}, new long[] {0, 5, 5}), 0);
    assertEquals(0, DriftStatistics.ksStatistic(new long[] {1, 2, 3}, new long[] {2, 4, 6}), 0);
  }

  @Test
  public void kolmogorovTailMatchesItsTabulatedValues() {
    // Q(1.0) = 0.2699996 and Q(1.358) = 0.05 (the 5% critical value), from published tables.
    assertEquals(0.2699996, DriftStatistics.kolmogorovQ(1.0), TOLERANCE);
    assertEquals(0.05, DriftStatistics.kolmogorovQ(1.358), 1e-3);
    assertEquals(1, DriftStatistics.kolmogorovQ(0), 0);
  }

  @Test
  public void ksPValueShrinksWithSampleSize() {
    // n = m = 100: en = sqrt(50) = 7.0710678; lambda = (en + 0.12 + 0.11/en) * 0.2 = 1.4413248
    assertEquals(
        DriftStatistics.kolmogorovQ(1.4413248), DriftStatistics.ksPValue(0.2, 100, 100), TOLERANCE);
    assertTrue(DriftStatistics.ksPValue(0.2, 10_000, 10_000) < 1e-10);
    assertTrue(DriftStatistics.ksPValue(0.2, 10, 10) > 0.5);
  }

  @Test
  public void wassersteinOfAShiftedDistributionIsTheShift() {
    double[] uniform = new double[100];
    double[] shifted = new double[100];
    for (int i = 0; i < 100; i++) {
      uniform[i] = (i + 0.5) / 100;
      shifted[i] = uniform[i] + 0.3;
    }
    assertEquals(0.3, DriftStatistics.wasserstein1FromQuantiles(uniform, shifted), TOLERANCE);
    // Normalized by the reference deviation of U(0,1), sqrt(1/12) = 0.2886751
    assertEquals(
        0.3 / 0.2886751,
        DriftStatistics.normalizedWasserstein1(uniform, shifted, 0.2886751, 0.5),
        TOLERANCE);
  }

  @Test
  public void normalizedWassersteinOfAConstantReferenceUsesItsMagnitude() {
    double[] constant = {5, 5, 5, 5};
    double[] moved = {6, 6, 6, 6};
    assertEquals(0.2, DriftStatistics.normalizedWasserstein1(constant, moved, 0, 5), TOLERANCE);
    assertEquals(0, DriftStatistics.normalizedWasserstein1(constant, constant, 0, 5), 0);
    assertEquals(
        1, DriftStatistics.normalizedWasserstein1(new double[] {0}, new double[] {1}, 0, 0), 0);
  }

  @Test
  public void binnedWassersteinOfTwoEvenlySpreadUniformsIsTheirShift() {
    // U(1,3) vs U(2,4) on edges 1, 2, 3: shares [0, .5, .5, 0] vs [0, 0, .5, .5];
    // cumulative gaps at the edges 0, .5, .5; area = 0 + 1 * (0 + .5)/2 + 1 * (.5 + .5)/2
    // + (4 - 3) * .5/2 = 1, the exact W1 of a shift by 1.
    double[] edges = {1, 2, 3};
    assertEquals(
        1.0,
        DriftStatistics.wasserstein1Binned(
            edges, new long[] {0, 10, 10, 0}, new long[] {0, 0, 7, 7}, 1, 4),
        TOLERANCE);
    assertEquals(
        0,
        DriftStatistics.wasserstein1Binned(
            edges, new long[] {1, 2, 3, 4}, new long[] {2, 4, 6, 8}, 0, 5),
        0);
    // normalized by the reference deviation of U(1,3), 2/sqrt(12) = 0.5773503
    assertEquals(
        1 / 0.5773503,
        DriftStatistics.normalizedWasserstein1Binned(
            edges, new long[] {0, 10, 10, 0}, new long[] {0, 0, 7, 7}, 1, 4, 0.5773503, 2),
        TOLERANCE);
  }

  @Test
  public void lInfinityIsTheLargestCategoryShareDifference() {
    // a: 0.5 vs 0.2, b: 0.5 vs 0.3, c: 0 vs 0.5
    assertEquals(
        0.5,
        DriftStatistics.lInfinity(Map.of("a", 50L, "b", 50L), Map.of("a", 20L, "b", 30L, "c", 50L)),
        TOLERANCE);
  }

  @Test
  public void lInfinityOnCategoryBinsIsTheLargestShareDifference() {
    // pos 0.6 vs 0.3, online 0.3 vs 0.6, atm 0.1 vs 0.1, other 0 vs 0
    assertEquals(
        0.3,
        DriftStatistics.lInfinity(new long[] {60, 30, 10, 0}, new long[] {300, 600, 100, 0}),
        TOLERANCE);
    assertEquals(0.0, DriftStatistics.lInfinity(new long[] {1, 1}, new long[] {5, 5}), TOLERANCE);
  }

  @Test
  public void anEmptySideOrDifferentBinsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DriftStatistics.psi(new long[] {1, 2}, new long[] {0, 0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> DriftStatistics.psi(new long[] {1, 2}, new long[] {1, 2, 3}));
  }
}
