package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.DatasetDrift;
import io.streamml.schemas.DriftMetric;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * The dataset-level verdict of each window (and segment) from its DriftMetric rows: the share of
 * feature columns (not the score) whose verdict is DRIFT, and {@code DRIFT} when it is at least the
 * given share. One {@link DatasetDrift} row per window, segment and pane of the input; the
 * windowing of the input is kept (bounded input from {@link ProfileWindow} is in the global window,
 * keyed here by window start).
 */
public final class JudgeDatasetDrift extends PTransform<PCollection<Row>, PCollection<Row>> {

  private final double share;

  private JudgeDatasetDrift(double share) {
    this.share = share;
  }

  /** A window has drifted when at least {@code share} of its features drifted. */
  public static JudgeDatasetDrift atShare(double share) {
    checkArgument(share > 0 && share <= 1, "dataset drift share must be in (0, 1], got %s", share);
    return new JudgeDatasetDrift(share);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> metrics) {
    double threshold = share;
    return WindowOutcome.perSegmentAndWindow(metrics)
        .apply(
            "JudgeWindows",
            MapElements.into(TypeDescriptors.rows())
                .via(kv -> verdict(kv.getKey().getKey(), kv.getValue(), threshold)))
        .setRowSchema(DatasetDrift.schema());
  }

  static Row verdict(String segment, WindowOutcome o, double share) {
    return Row.withSchema(DatasetDrift.schema())
        .withFieldValue(DatasetDrift.WINDOW_START, new Instant(o.windowStart))
        .withFieldValue(DatasetDrift.WINDOW_END, new Instant(o.windowEnd))
        .withFieldValue(DatasetDrift.SEGMENT, segment.isEmpty() ? null : segment)
        .withFieldValue(DatasetDrift.FEATURES, o.features)
        .withFieldValue(DatasetDrift.DRIFTED_FEATURES, o.driftedFeatures)
        .withFieldValue(DatasetDrift.DRIFTED_SHARE, o.driftedShare())
        .withFieldValue(DatasetDrift.DRIFT_SHARE_THRESHOLD, share)
        .withFieldValue(DatasetDrift.SCORE_DRIFTED, o.scoreDrifted)
        .withFieldValue(
            DatasetDrift.VERDICT,
            o.features > 0 && o.driftedShare() >= share
                ? DriftMetric.Verdict.DRIFT.name()
                : DriftMetric.Verdict.OK.name())
        .build();
  }
}
