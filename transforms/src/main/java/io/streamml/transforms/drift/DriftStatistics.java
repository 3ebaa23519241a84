package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Distances between a reference distribution and a current one, from histogram counts on the same
 * bins (or quantiles at the same probability levels). Every function returns a finite number for
 * any non-negative counts with a non-zero total on both sides: empty bins never give infinities.
 * Callers handle the empty side (a window with no values has no distribution to compare).
 */
public final class DriftStatistics {

  /**
   * Floor for a bin's share in PSI, where an empty bin would make the logarithm infinite; the
   * common choice in drift tools (e.g. 0.0001), so our PSI reads like theirs.
   */
  public static final double PSI_EMPTY_BIN_SHARE = 1e-4;

  private DriftStatistics() {}

  /**
   * Population stability index: {@code sum (a - e) * ln(a / e)} over bin shares, with empty bins
   * floored at {@link #PSI_EMPTY_BIN_SHARE}. 0 for identical shares; 0.1 is commonly read as a
   * warning and 0.25 as drift.
   */
  public static double psi(long[] reference, long[] current) {
    checkSameBins(reference, current);
    double[] e = shares(reference, "reference");
    double[] a = shares(current, "current");
    double psi = 0;
    for (int i = 0; i < e.length; i++) {
      double ei = Math.max(e[i], PSI_EMPTY_BIN_SHARE);
      double ai = Math.max(a[i], PSI_EMPTY_BIN_SHARE);
      psi += (ai - ei) * Math.log(ai / ei);
    }
    return psi;
  }

  /**
   * Jensen-Shannon distance (the square root of the divergence, base-2 logarithms): 0 for identical
   * shares, 1 for shares on disjoint bins.
   */
  public static double jensenShannonDistance(long[] reference, long[] current) {
    checkSameBins(reference, current);
    double[] p = shares(reference, "reference");
    double[] q = shares(current, "current");
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      divergence += halfKl(p[i], m) + halfKl(q[i], m);
    }
    // Rounding can leave a hair below zero for identical inputs.
    return Math.sqrt(Math.max(0, divergence));
  }

  private static double halfKl(double p, double m) {
    return p == 0 ? 0 : 0.5 * p * Math.log(p / m) / Math.log(2);
  }

  /**
   * Kolmogorov-Smirnov statistic on binned data: the largest gap between the two cumulative shares
   * at the bin edges. A lower bound of the statistic on the raw values (it cannot see gaps inside a
   * bin), exact when each distinct value has its own bin.
   */
  public static double ksStatistic(long[] reference, long[] current) {
    checkSameBins(reference, current);
    double[] p = shares(reference, "reference");
    double[] q = shares(current, "current");
    double cp = 0;
    double cq = 0;
    double d = 0;
    for (int i = 0; i < p.length; i++) {
      cp += p[i];
      cq += q[i];
      d = Math.max(d, Math.abs(cp - cq));
    }
    return d;
  }

  /**
   * The asymptotic two-sample Kolmogorov-Smirnov p-value for statistic {@code d} between samples of
   * {@code n} and {@code m} values (Stephens' small-sample correction, as in Numerical Recipes). On
   * binned data {@code d} is a lower bound, so this p-value errs high (towards "no drift").
   */
  public static double ksPValue(double d, long n, long m) {
    checkArgument(n > 0 && m > 0, "sample sizes must be positive, got %s and %s", n, m);
    double en = Math.sqrt((double) n * m / (n + m));
    double lambda = (en + 0.12 + 0.11 / en) * d;
    return kolmogorovQ(lambda);
  }

  /** {@code Q(lambda) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2)}, the Kolmogorov tail. */
  static double kolmogorovQ(double lambda) {
    if (lambda < 1e-3) {
      return 1;
    }
    double sum = 0;
    double sign = 1;
    for (int j = 1; j <= 100; j++) {
      double term = sign * Math.exp(-2.0 * j * j * lambda * lambda);
      sum += term;
      if (Math.abs(term) < 1e-12) {
        break;
      }
      sign = -sign;
    }
    return Math.min(1, Math.max(0, 2 * sum));
  }

  /**
   * Wasserstein-1 (earth mover's) distance between two distributions given by quantiles at the same
   * equally spaced probability levels: the mean gap between the quantile functions.
   */
  public static double wasserstein1FromQuantiles(double[] reference, double[] current) {
    checkArgument(
        reference.length == current.length && reference.length > 0,
        "quantile arrays must have the same non-zero length, got %s and %s",
        reference.length,
        current.length);
    double sum = 0;
    for (int i = 0; i < reference.length; i++) {
      sum += Math.abs(reference[i] - current[i]);
    }
    return sum / reference.length;
  }

  /**
   * Wasserstein-1 divided by the reference's standard deviation, so one threshold (0.1 is common)
   * fits features of any scale. A constant reference (deviation 0) is scaled by its magnitude
   * instead (at least 1), so a constant feature never divides by zero.
   */
  public static double normalizedWasserstein1(
      double[] reference, double[] current, double referenceStdDev, double referenceMean) {
    double scale = referenceStdDev > 0 ? referenceStdDev : Math.max(1.0, Math.abs(referenceMean));
    return wasserstein1FromQuantiles(reference, current) / scale;
  }

  /**
   * Wasserstein-1 between two histograms on the same {@code edges} (bins as in {@link
   * FeatureReference}: below the first edge, between edges, at or above the last), as the area
   * between the two cumulative distributions with each treated as linear inside a bin. The open
   * outer bins are closed at {@code low} and {@code high} (the smallest and largest value either
   * side has seen), but no wider than the mean inner bin, so a heavy tail's extremes cannot
   * dominate (tails are PSI's and JS's to judge). Exact for values spread evenly inside bins of a
   * bounded range.
   */
  public static double wasserstein1Binned(
      double[] edges, long[] reference, long[] current, double low, double high) {
    checkSameBins(reference, current);
    checkArgument(
        reference.length == edges.length + 1,
        "%s edges need %s bins, got %s",
        edges.length,
        edges.length + 1,
        reference.length);
    double[] p = shares(reference, "reference");
    double[] q = shares(current, "current");
    if (edges.length == 0) {
      return 0;
    }
    // gap[k] = difference of the cumulative shares at edge k (mass below it).
    double[] gap = new double[edges.length];
    double cp = 0;
    double cq = 0;
    for (int k = 0; k < edges.length; k++) {
      cp += p[k];
      cq += q[k];
      gap[k] = Math.abs(cp - cq);
    }
    int last = edges.length - 1;
    double lowTail = Math.max(0, edges[0] - low);
    double highTail = Math.max(0, high - edges[last]);
    if (last > 0) {
      // A heavy tail's open bin can be far wider than the rest; spreading its mass evenly over
      // all of it would let a few extreme values dominate. Cap it at the mean inner bin width.
      double innerWidth = (edges[last] - edges[0]) / last;
      lowTail = Math.min(lowTail, innerWidth);
      highTail = Math.min(highTail, innerWidth);
    }
    double area = lowTail * gap[0] / 2;
    for (int k = 1; k <= last; k++) {
      area += (edges[k] - edges[k - 1]) * (gap[k - 1] + gap[k]) / 2;
    }
    area += highTail * gap[last] / 2;
    return area;
  }

  /**
   * {@link #wasserstein1Binned} divided by the reference's standard deviation, so one threshold
   * (0.1 is common) fits features of any scale; a constant reference (deviation 0) is scaled by its
   * magnitude instead (at least 1), so a constant feature never divides by zero.
   */
  public static double normalizedWasserstein1Binned(
      double[] edges,
      long[] reference,
      long[] current,
      double low,
      double high,
      double referenceStdDev,
      double referenceMean) {
    return wasserstein1Binned(edges, reference, current, low, high)
        / wassersteinScale(referenceStdDev, referenceMean);
  }

  private static double wassersteinScale(double referenceStdDev, double referenceMean) {
    return referenceStdDev > 0 ? referenceStdDev : Math.max(1.0, Math.abs(referenceMean));
  }

  /** L-infinity distance of two histograms on the same bins (categories, in the same order). */
  public static double lInfinity(long[] reference, long[] current) {
    checkArgument(
        reference.length == current.length,
        "histograms have %s and %s bins",
        reference.length,
        current.length);
    double totalRef = Arrays.stream(reference).sum();
    double totalCur = Arrays.stream(current).sum();
    checkArgument(totalRef > 0 && totalCur > 0, "both sides need at least one category count");
    double d = 0;
    for (int i = 0; i < reference.length; i++) {
      d = Math.max(d, Math.abs(reference[i] / totalRef - current[i] / totalCur));
    }
    return d;
  }

  /** Largest difference of a category's share between the two sides (L-infinity distance). */
  public static double lInfinity(Map<String, Long> reference, Map<String, Long> current) {
    // The same distance on aligned histograms: one bin per category seen on either side.
    List<String> categories = new ArrayList<>(new TreeSet<>(reference.keySet()));
    current.keySet().stream()
        .filter(c -> !reference.containsKey(c))
        .sorted()
        .forEach(categories::add);
    long[] expected = new long[categories.size()];
    long[] observed = new long[categories.size()];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = reference.getOrDefault(categories.get(i), 0L);
      observed[i] = current.getOrDefault(categories.get(i), 0L);
    }
    return lInfinity(expected, observed);
  }

  private static double total(Collection<Long> counts) {
    double total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  private static double[] shares(long[] counts, String side) {
    double total = 0;
    for (long c : counts) {
      checkArgument(c >= 0, "%s has a negative bin count %s", side, c);
      total += c;
    }
    checkArgument(total > 0, "%s has no values to compare", side);
    double[] shares = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      shares[i] = counts[i] / total;
    }
    return shares;
  }

  /** Both sides must use the same bins. */
  static void checkSameBins(long[] reference, long[] current) {
    checkArgument(
        reference.length == current.length,
        "reference has %s bins but current has %s",
        reference.length,
        current.length);
  }
}
