package io.streamml.transforms.drift;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.ModelPerformance;
import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One window's outcome for one segment, summed from its DriftMetric rows: how many feature columns
 * were judged and drifted, and whether the score drifted. Shared by the dataset verdict and the
 * retrain policy so both count the same way.
 */
final class WindowOutcome implements Serializable {
  private static final long serialVersionUID = 1L;
  long windowStart = Long.MAX_VALUE;
  long windowEnd = Long.MIN_VALUE;
  int features;
  int driftedFeatures;
  boolean scoreDrifted;
  // Set on outcomes of measured model quality (ModelPerformance rows) instead of drift.
  boolean performance;
  long labelled;
  @Nullable Double auc;

  /**
   * Each (segment, window)'s outcome summed from its DriftMetric rows, keyed by (segment, or "" for
   * none; window start). The step names are the ones both users applied before this was shared.
   */
  static PCollection<KV<KV<String, Long>, WindowOutcome>> perSegmentAndWindow(
      PCollection<Row> metrics) {
    KvCoder<String, Long> keyCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    return metrics
        .apply(
            "KeyBySegmentAndWindow",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()),
                        TypeDescriptors.rows()))
                .via(
                    m -> {
                      String segment = m.getString(DriftMetric.SEGMENT);
                      long start = m.getDateTime(DriftMetric.WINDOW_START).getMillis();
                      return KV.of(KV.of(segment == null ? "" : segment, start), m);
                    }))
        .setCoder(KvCoder.of(keyCoder, metrics.getCoder()))
        .apply("SummarizeWindows", Combine.perKey(new CombineOutcomes()))
        .setCoder(KvCoder.of(keyCoder, SerializableCoder.of(WindowOutcome.class)));
  }

  /** The outcome of one ModelPerformance row. */
  static WindowOutcome ofPerformance(Row row) {
    WindowOutcome o = new WindowOutcome();
    o.performance = true;
    o.windowStart = row.getDateTime(ModelPerformance.WINDOW_START).getMillis();
    o.windowEnd = row.getDateTime(ModelPerformance.WINDOW_END).getMillis();
    o.labelled = row.getInt64(ModelPerformance.LABELLED);
    o.auc = row.getDouble(ModelPerformance.AUC_ROC);
    return o;
  }

  double driftedShare() {
    return features == 0 ? 0 : (double) driftedFeatures / features;
  }

  /** Sums DriftMetric rows of one window into its outcome. */
  static final class CombineOutcomes extends Combine.CombineFn<Row, WindowOutcome, WindowOutcome> {
    @Override
    public WindowOutcome createAccumulator() {
      return new WindowOutcome();
    }

    @Override
    public WindowOutcome addInput(WindowOutcome outcome, Row metric) {
      boolean drifted =
          DriftMetric.Verdict.DRIFT.name().equals(metric.getString(DriftMetric.VERDICT));
      outcome.windowStart =
          Math.min(outcome.windowStart, metric.getDateTime(DriftMetric.WINDOW_START).getMillis());
      outcome.windowEnd =
          Math.max(outcome.windowEnd, metric.getDateTime(DriftMetric.WINDOW_END).getMillis());
      if (ReferenceProfile.SCORE.equals(metric.getString(DriftMetric.COLUMN))) {
        outcome.scoreDrifted |= drifted;
      } else {
        outcome.features++;
        outcome.driftedFeatures += drifted ? 1 : 0;
      }
      return outcome;
    }

    @Override
    public WindowOutcome mergeAccumulators(Iterable<WindowOutcome> outcomes) {
      WindowOutcome merged = new WindowOutcome();
      for (WindowOutcome o : outcomes) {
        merged.windowStart = Math.min(merged.windowStart, o.windowStart);
        merged.windowEnd = Math.max(merged.windowEnd, o.windowEnd);
        merged.features += o.features;
        merged.driftedFeatures += o.driftedFeatures;
        merged.scoreDrifted |= o.scoreDrifted;
      }
      return merged;
    }

    @Override
    public WindowOutcome extractOutput(WindowOutcome outcome) {
      return outcome;
    }

    @Override
    public Coder<WindowOutcome> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
      return SerializableCoder.of(WindowOutcome.class);
    }
  }
}
