package io.streamml.transforms.drift;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.WindowProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Compares each {@link WindowProfile} row (from {@link ProfileWindow}) with the training reference
 * and emits one {@link DriftMetric} row per window, segment and column: PSI, Kolmogorov-Smirnov
 * statistic and p-value, Jensen-Shannon distance and normalized Wasserstein-1 (all on the
 * reference's bins; for categorical fields PSI, Jensen-Shannon and L-infinity on the category
 * bins), the change in missing share, the counts behind them, and a verdict from {@link
 * DriftThresholds}. Raw values are always emitted; windowing is kept, one output per input pane.
 * Counts verdicts in {@code streamml.drift/<verdict>}.
 */
public final class ComputeDrift extends PTransform<PCollection<Row>, PCollection<Row>> {

  private final ReferenceProfile reference;
  private final DriftThresholds thresholds;

  private ComputeDrift(ReferenceProfile reference, DriftThresholds thresholds) {
    this.reference = reference;
    this.thresholds = thresholds;
  }

  public static ComputeDrift against(ReferenceProfile reference) {
    return new ComputeDrift(reference, DriftThresholds.defaults());
  }

  public ComputeDrift withThresholds(DriftThresholds thresholds) {
    return new ComputeDrift(reference, thresholds);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> profiles) {
    return profiles
        .apply("CompareWithReference", ParDo.of(new CompareFn(reference, thresholds)))
        .setRowSchema(DriftMetric.schema());
  }

  /** The drift row of one window profile; public for drivers that compare stored profiles. */
  public static Row compare(Row profile, ReferenceProfile reference, DriftThresholds thresholds) {
    FeatureReference ref = referenceOf(profile, reference);
    return compare(profile, ref, Baseline.of(ref), thresholds);
  }

  /**
   * The drift row of {@code profile} against an earlier window's profile of the same column and
   * segment, on the reference's bins (the reference still scales Wasserstein).
   */
  static Row compareWithWindow(
      Row profile, Row earlier, ReferenceProfile reference, DriftThresholds thresholds) {
    FeatureReference ref = referenceOf(profile, reference);
    return compare(profile, ref, Baseline.ofWindow(earlier), thresholds);
  }

  private static FeatureReference referenceOf(Row profile, ReferenceProfile reference) {
    String column = profile.getString(WindowProfile.COLUMN);
    FeatureReference ref = reference.column(column);
    if (ref == null) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' has no reference; the model's are "
              + reference.featureNames()
              + " and categorical fields "
              + reference.categories().stream().map(FeatureReference::name).toList());
    }
    return ref;
  }

  /** What a window is compared with: the training reference or an earlier window. */
  private static final class Baseline {
    final long[] counts;
    final long count;
    final double missingShare;
    final double mean;
    final double min;
    final double max;

    private Baseline(
        long[] counts, long count, double missingShare, double mean, double min, double max) {
      this.counts = counts;
      this.count = count;
      this.missingShare = missingShare;
      this.mean = mean;
      this.min = min;
      this.max = max;
    }

    static Baseline of(FeatureReference ref) {
      return new Baseline(
          ref.counts(), ref.count(), ref.missingShare(), ref.mean(), ref.min(), ref.max());
    }

    static Baseline ofWindow(Row profile) {
      long count = profile.getInt64(WindowProfile.COUNT);
      long missing = profile.getInt64(WindowProfile.MISSING);
      return new Baseline(
          toArray(profile.getArray(WindowProfile.BIN_COUNTS)),
          count,
          count + missing == 0 ? 0 : (double) missing / (count + missing),
          orNaN(profile.getDouble(WindowProfile.MEAN)),
          orNaN(profile.getDouble(WindowProfile.MIN)),
          orNaN(profile.getDouble(WindowProfile.MAX)));
    }

    private static double orNaN(@Nullable Double value) {
      return value == null ? Double.NaN : value;
    }
  }

  private static Row compare(
      Row profile, FeatureReference ref, Baseline baseline, DriftThresholds thresholds) {
    String column = profile.getString(WindowProfile.COLUMN);
    long[] current = toArray(profile.getArray(WindowProfile.BIN_COUNTS));
    long count = profile.getInt64(WindowProfile.COUNT);
    long missing = profile.getInt64(WindowProfile.MISSING);
    long[] expected = baseline.counts;
    Map<String, Double> metrics = new LinkedHashMap<>();
    Double ksPValue = null;
    if (count > 0 && baseline.count > 0 && ref.isCategorical()) {
      // Categories have no order: PSI and Jensen-Shannon on the category bins, and the largest
      // change in one category's share (L-infinity); KS and Wasserstein would invent an order.
      metrics.put(DriftMetric.PSI, DriftStatistics.psi(expected, current));
      metrics.put(
          DriftMetric.JS_DISTANCE, DriftStatistics.jensenShannonDistance(expected, current));
      metrics.put(DriftMetric.L_INFINITY, DriftStatistics.lInfinity(expected, current));
    } else if (count > 0 && baseline.count > 0) {
      double ks = DriftStatistics.ksStatistic(expected, current);
      metrics.put(DriftMetric.PSI, DriftStatistics.psi(expected, current));
      metrics.put(DriftMetric.KS, ks);
      metrics.put(
          DriftMetric.JS_DISTANCE, DriftStatistics.jensenShannonDistance(expected, current));
      metrics.put(
          DriftMetric.WASSERSTEIN_NORMALIZED,
          DriftStatistics.normalizedWasserstein1Binned(
              ref.edges(),
              expected,
              current,
              Math.min(baseline.min, profile.getDouble(WindowProfile.MIN)),
              Math.max(baseline.max, profile.getDouble(WindowProfile.MAX)),
              ref.stdDev(),
              ref.mean()));
      ksPValue = DriftStatistics.ksPValue(ks, baseline.count, count);
    }
    double missingShare = count + missing == 0 ? 0 : (double) missing / (count + missing);
    List<String> reasons = new ArrayList<>();
    DriftMetric.Verdict verdict = verdict(column, metrics, count, thresholds, reasons);
    return Row.withSchema(DriftMetric.schema())
        .withFieldValue(DriftMetric.WINDOW_START, profile.getDateTime(WindowProfile.WINDOW_START))
        .withFieldValue(DriftMetric.WINDOW_END, profile.getDateTime(WindowProfile.WINDOW_END))
        .withFieldValue(DriftMetric.SEGMENT, profile.getString(WindowProfile.SEGMENT))
        .withFieldValue(DriftMetric.COLUMN, column)
        .withFieldValue(DriftMetric.COUNT, count)
        .withFieldValue(DriftMetric.MISSING, missing)
        .withFieldValue(DriftMetric.REFERENCE_COUNT, baseline.count)
        .withFieldValue(
            DriftMetric.MEAN, ref.isCategorical() ? null : profile.getDouble(WindowProfile.MEAN))
        .withFieldValue(
            DriftMetric.REFERENCE_MEAN,
            ref.isCategorical() || Double.isNaN(baseline.mean) ? null : baseline.mean)
        .withFieldValue(DriftMetric.PSI, metrics.get(DriftMetric.PSI))
        .withFieldValue(DriftMetric.KS, metrics.get(DriftMetric.KS))
        .withFieldValue(DriftMetric.KS_P_VALUE, ksPValue)
        .withFieldValue(DriftMetric.JS_DISTANCE, metrics.get(DriftMetric.JS_DISTANCE))
        .withFieldValue(
            DriftMetric.WASSERSTEIN_NORMALIZED, metrics.get(DriftMetric.WASSERSTEIN_NORMALIZED))
        .withFieldValue(DriftMetric.L_INFINITY, metrics.get(DriftMetric.L_INFINITY))
        .withFieldValue(DriftMetric.MISSING_SHARE_CHANGE, missingShare - baseline.missingShare)
        .withFieldValue(DriftMetric.VERDICT, verdict.name())
        .withFieldValue(DriftMetric.REASONS, String.join("; ", reasons))
        .build();
  }

  private static DriftMetric.Verdict verdict(
      String column,
      Map<String, Double> metrics,
      long count,
      DriftThresholds thresholds,
      List<String> reasons) {
    if (count < thresholds.minCount()) {
      reasons.add(count + " values < minimum " + thresholds.minCount());
      return DriftMetric.Verdict.INSUFFICIENT_DATA;
    }
    DriftMetric.Verdict verdict = DriftMetric.Verdict.OK;
    for (String metric : DriftThresholds.METRICS) {
      Double value = metrics.get(metric);
      if (value == null) {
        continue;
      }
      double drift = thresholds.drift(column, metric);
      double warn = thresholds.warn(column, metric);
      if (value >= drift) {
        reasons.add(String.format("%s %.4f >= %s", metric, value, drift));
        verdict = DriftMetric.Verdict.DRIFT;
      } else if (value >= warn) {
        reasons.add(String.format("%s %.4f >= %s (warn)", metric, value, warn));
        if (verdict == DriftMetric.Verdict.OK) {
          verdict = DriftMetric.Verdict.WARN;
        }
      }
    }
    return verdict;
  }

  private static long[] toArray(@Nullable Iterable<Long> values) {
    List<Long> list = new ArrayList<>();
    if (values != null) {
      values.forEach(list::add);
    }
    long[] array = new long[list.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = list.get(i);
    }
    return array;
  }

  private static final class CompareFn extends DoFn<Row, Row> {
    private final ReferenceProfile reference;
    private final DriftThresholds thresholds;
    private final Map<String, Counter> verdicts = new LinkedHashMap<>();

    CompareFn(ReferenceProfile reference, DriftThresholds thresholds) {
      this.reference = reference;
      this.thresholds = thresholds;
      for (DriftMetric.Verdict verdict : DriftMetric.Verdict.values()) {
        verdicts.put(
            verdict.name(), Metrics.counter("streamml.drift", verdict.name().toLowerCase()));
      }
    }

    @ProcessElement
    public void process(@Element Row profile, OutputReceiver<Row> out) {
      Row metric = compare(profile, reference, thresholds);
      verdicts.get(metric.getString(DriftMetric.VERDICT)).inc();
      out.output(metric);
    }
  }
}
