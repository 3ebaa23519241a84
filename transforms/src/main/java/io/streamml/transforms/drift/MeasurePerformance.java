package io.streamml.transforms.drift;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.Score;
import io.streamml.transforms.batch.BatchShards;
import io.streamml.transforms.model.BinaryMetrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Model quality per event-time window from labels that arrive apart from (and after) the scores:
 * labels ({@link ModelPerformance#labelSchema()}) are joined to Score rows by event id in the
 * window of the event's time, then each window reports AUC-ROC, precision and recall at the scores'
 * threshold, log loss, and calibration (mean score and expected calibration error over 10 score
 * bins) as a {@link ModelPerformance} row.
 *
 * <p>Input: a {@link PCollectionTuple} with {@link #SCORES} (Score rows: {@code event_id}, {@code
 * score}, {@code threshold}) and {@link #LABELS}, both timestamped with the event's time. On
 * unbounded input a label may arrive up to {@code maxLabelDelay} after its window closed; the
 * window then refires with every label so far (the latest pane is complete). Scores without a label
 * and labels without a score are not counted.
 */
public final class MeasurePerformance extends PTransform<PCollectionTuple, PCollection<Row>> {

  public static final TupleTag<Row> SCORES = new TupleTag<Row>() {};
  public static final TupleTag<Row> LABELS = new TupleTag<Row>() {};

  static final int CALIBRATION_BINS = 10;

  private final Duration window;
  private final Duration maxLabelDelay;

  private MeasurePerformance(Duration window, Duration maxLabelDelay) {
    this.window = window;
    this.maxLabelDelay = maxLabelDelay;
  }

  public static MeasurePerformance perWindow(Duration window) {
    checkArgument(window.getMillis() > 0, "window must be positive, got %s", window);
    return new MeasurePerformance(window, Duration.standardHours(24));
  }

  /** How late (after its window closed) a label may arrive and still count. */
  public MeasurePerformance withMaxLabelDelay(Duration delay) {
    checkArgument(!delay.isShorterThan(Duration.ZERO), "negative delay %s", delay);
    return new MeasurePerformance(window, delay);
  }

  @Override
  public PCollection<Row> expand(PCollectionTuple input) {
    PCollection<Row> scores = input.get(SCORES);
    PCollection<Row> labels = input.get(LABELS);
    boolean bounded =
        scores.isBounded() == PCollection.IsBounded.BOUNDED
            && labels.isBounded() == PCollection.IsBounded.BOUNDED;
    FixedWindows windows = FixedWindows.of(window);
    KvCoder<String, Long> keyCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollection<KV<KV<String, Long>, KV<String, Row>>> keyedScores =
        keyById(scores, "Scores", "event_id", windows, bounded)
            .setCoder(KvCoder.of(keyCoder, KvCoder.of(StringUtf8Coder.of(), scores.getCoder())));
    PCollection<KV<KV<String, Long>, KV<String, Row>>> keyedLabels =
        keyById(labels, "Labels", ModelPerformance.EVENT_ID, windows, bounded)
            .setCoder(KvCoder.of(keyCoder, KvCoder.of(StringUtf8Coder.of(), labels.getCoder())));
    TupleTag<KV<String, Row>> scoreTag = new TupleTag<>();
    TupleTag<KV<String, Row>> labelTag = new TupleTag<>();
    return KeyedPCollectionTuple.of(scoreTag, keyedScores)
        .and(labelTag, keyedLabels)
        .apply("JoinLabelsToScores", CoGroupByKey.create())
        .apply("PairScoreAndLabel", ParDo.of(new PairFn(scoreTag, labelTag)))
        .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(Labelled.class)))
        .apply("MeasureWindows", Combine.perKey(new CollectFn()))
        .setCoder(KvCoder.of(VarLongCoder.of(), SerializableCoder.of(Sample.class)))
        .apply("EmitPerformance", ParDo.of(new EmitFn(window)))
        .setRowSchema(ModelPerformance.schema());
  }

  /**
   * Rows keyed for the join, each value with its event id. A stream joins per id in its window;
   * bounded input joins per shard of ids (BatchShards) and window start, regrouped by id after.
   */
  private PCollection<KV<KV<String, Long>, KV<String, Row>>> keyById(
      PCollection<Row> rows, String name, String idField, FixedWindows windows, boolean bounded) {
    PCollection<Row> windowed = rows;
    if (!bounded) {
      windowed =
          rows.apply(
              "Window" + name,
              Window.<Row>into(windows)
                  .withAllowedLateness(maxLabelDelay)
                  .accumulatingFiredPanes());
    }
    // Bounded input: windows assigned from the timestamps directly (see ProfileWindow).
    return windowed.apply(
        "Key" + name + "ById", ParDo.of(new KeyByIdFn(idField, windows, bounded)));
  }

  private static final class KeyByIdFn extends DoFn<Row, KV<KV<String, Long>, KV<String, Row>>> {
    private final String idField;
    private final FixedWindows windows;
    private final boolean bounded;

    KeyByIdFn(String idField, FixedWindows windows, boolean bounded) {
      this.idField = idField;
      this.windows = windows;
      this.bounded = bounded;
    }

    @ProcessElement
    public void process(
        @Element Row row,
        @Timestamp Instant timestamp,
        OutputReceiver<KV<KV<String, Long>, KV<String, Row>>> out) {
      String id = row.getString(idField);
      if (id == null) {
        return;
      }
      KV<String, Long> key =
          bounded
              ? KV.of(
                  String.valueOf(BatchShards.of(id, BatchShards.JOINS)),
                  windows.assignWindow(timestamp).start().getMillis())
              : KV.of(id, -1L);
      out.output(KV.of(key, KV.of(id, row)));
    }
  }

  /** One scored and labelled event. */
  static final class Labelled implements Serializable {
    private static final long serialVersionUID = 1L;
    final double score;
    final double label;
    final double threshold;

    Labelled(double score, double label, double threshold) {
      this.score = score;
      this.label = label;
      this.threshold = threshold;
    }
  }

  private static final class PairFn
      extends DoFn<KV<KV<String, Long>, CoGbkResult>, KV<Long, Labelled>> {
    private final TupleTag<KV<String, Row>> scoreTag;
    private final TupleTag<KV<String, Row>> labelTag;

    PairFn(TupleTag<KV<String, Row>> scoreTag, TupleTag<KV<String, Row>> labelTag) {
      this.scoreTag = scoreTag;
      this.labelTag = labelTag;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, CoGbkResult> joined, OutputReceiver<KV<Long, Labelled>> out) {
      Map<String, Row> labelById = new HashMap<>();
      for (KV<String, Row> label : joined.getValue().getAll(labelTag)) {
        labelById.put(label.getKey(), label.getValue());
      }
      if (labelById.isEmpty()) {
        return;
      }
      // A re-delivered score (at-least-once sources) counts once: one copy per id and feature
      // time. Per-window vectors share their latest event's id across the windows holding it.
      Map<String, KV<String, Row>> scores = new HashMap<>();
      for (KV<String, Row> score : joined.getValue().getAll(scoreTag)) {
        Row row = score.getValue();
        scores.put(
            row.getSchema().hasField(Score.FEATURE_TIME)
                ? score.getKey() + "@" + row.getDateTime(Score.FEATURE_TIME).getMillis()
                : score.getKey(),
            score);
      }
      for (KV<String, Row> scored : scores.values()) {
        Row label = labelById.get(scored.getKey());
        if (label != null) {
          Row score = scored.getValue();
          out.output(
              KV.of(
                  joined.getKey().getValue(),
                  new Labelled(
                      score.getDouble("score"),
                      label.getDouble(ModelPerformance.LABEL),
                      score.getDouble("threshold"))));
        }
      }
    }
  }

  /** A window's labelled scores. */
  static final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<Labelled> rows = new ArrayList<>();
  }

  private static final class CollectFn extends Combine.CombineFn<Labelled, Sample, Sample> {
    @Override
    public Sample createAccumulator() {
      return new Sample();
    }

    @Override
    public Sample addInput(Sample sample, Labelled row) {
      sample.rows.add(row);
      return sample;
    }

    @Override
    public Sample mergeAccumulators(Iterable<Sample> samples) {
      Sample merged = new Sample();
      samples.forEach(s -> merged.rows.addAll(s.rows));
      return merged;
    }

    @Override
    public Sample extractOutput(Sample sample) {
      return sample;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Sample> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Labelled> inputCoder) {
      return SerializableCoder.of(Sample.class);
    }
  }

  private static final class EmitFn extends DoFn<KV<Long, Sample>, Row> {
    private final Duration size;

    EmitFn(Duration size) {
      this.size = size;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Sample> element, BoundedWindow window, OutputReceiver<Row> out) {
      IntervalWindow interval =
          window instanceof IntervalWindow
              ? (IntervalWindow) window
              : new IntervalWindow(new Instant(element.getKey()), size);
      // A pane with no labelled score yet (a runner may fire one) says nothing about quality.
      if (!element.getValue().rows.isEmpty()) {
        out.output(measure(element.getValue().rows, interval));
      }
    }
  }

  /** The performance row of one window's labelled scores. */
  static Row measure(List<Labelled> rows, IntervalWindow window) {
    int n = rows.size();
    float[] scores = new float[n];
    float[] labels = new float[n];
    long positives = 0;
    double threshold = n == 0 ? Double.NaN : rows.get(0).threshold;
    double scoreSum = 0;
    for (int i = 0; i < n; i++) {
      scores[i] = (float) rows.get(i).score;
      labels[i] = (float) rows.get(i).label;
      positives += labels[i] > 0.5 ? 1 : 0;
      scoreSum += scores[i];
    }
    Double auc = null;
    Double precision = null;
    Double recall = null;
    if (n > 0) {
      double a = BinaryMetrics.aucRoc(scores, labels);
      auc = Double.isNaN(a) ? null : a;
      double[] pr = BinaryMetrics.precisionRecall(scores, labels, threshold);
      precision = Double.isNaN(pr[0]) ? null : pr[0];
      recall = Double.isNaN(pr[1]) ? null : pr[1];
    }
    return Row.withSchema(ModelPerformance.schema())
        .withFieldValue(ModelPerformance.WINDOW_START, window.start())
        .withFieldValue(ModelPerformance.WINDOW_END, window.end())
        .withFieldValue(ModelPerformance.LABELLED, (long) n)
        .withFieldValue(ModelPerformance.POSITIVES, positives)
        .withFieldValue(ModelPerformance.AUC_ROC, auc)
        .withFieldValue(ModelPerformance.PRECISION, precision)
        .withFieldValue(ModelPerformance.RECALL, recall)
        .withFieldValue(
            ModelPerformance.LOG_LOSS, n == 0 ? null : BinaryMetrics.logLoss(scores, labels))
        .withFieldValue(ModelPerformance.MEAN_SCORE, n == 0 ? null : scoreSum / n)
        .withFieldValue(
            ModelPerformance.CALIBRATION_ERROR,
            n == 0 ? null : expectedCalibrationError(scores, labels))
        .withFieldValue(ModelPerformance.THRESHOLD, Double.isNaN(threshold) ? 0.0 : threshold)
        .build();
  }

  /**
   * Expected calibration error: over 10 equal-width score bins, the row-weighted mean gap between
   * the bin's mean score and its observed positive rate.
   */
  static double expectedCalibrationError(float[] scores, float[] labels) {
    double[] scoreSum = new double[CALIBRATION_BINS];
    double[] positiveSum = new double[CALIBRATION_BINS];
    int[] count = new int[CALIBRATION_BINS];
    for (int i = 0; i < scores.length; i++) {
      int bin = Math.min(CALIBRATION_BINS - 1, Math.max(0, (int) (scores[i] * CALIBRATION_BINS)));
      scoreSum[bin] += scores[i];
      positiveSum[bin] += labels[i] > 0.5 ? 1 : 0;
      count[bin]++;
    }
    double error = 0;
    for (int b = 0; b < CALIBRATION_BINS; b++) {
      if (count[b] > 0) {
        error += Math.abs(scoreSum[b] / count[b] - positiveSum[b] / count[b]) * count[b];
      }
    }
    return error / scores.length;
  }
}
