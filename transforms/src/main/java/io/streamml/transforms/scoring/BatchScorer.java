package io.streamml.transforms.scoring;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.Reason;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.Score;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Scores one batch of rows with one model version: a single in-place prediction for the batch, then
 * one contribution prediction (SHAP, or path contributions: {@link ApproximateContributions}) for
 * just the rows at or above the threshold. Shared by the bundle-batching and the cross-bundle
 * DoFns. A batch that cannot be scored (the model does not load, or wants features the rows lack)
 * goes to dead letters whole, with the reason; so does a row with an infinite feature, alone,
 * before the prediction.
 */
final class BatchScorer implements Serializable {

  /** Where scores and dead letters go; the DoFn knows the window and how to emit. */
  interface Emitter {
    void score(Pending origin, Row score);

    void deadLetter(Pending origin, Row deadLetter);
  }

  private final FeatureLayout layout;
  private final int topK;
  private final @Nullable Double thresholdOverride;
  private final boolean approximateReasons;
  private final RowJsonCodec payloads;
  private final Counter scored =
      Metrics.counter(ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.ROWS_SCORED);
  private final Counter batches =
      Metrics.counter(ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.BATCHES);
  private final Distribution batchSizes =
      Metrics.distribution(ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.BATCH_SIZE);
  private final Counter failed =
      Metrics.counter(ScoreWithXGBoost.METRICS_NAMESPACE, ScoreWithXGBoost.DEAD_LETTERS);
  private transient @Nullable Map<String, int[]> indexesByFolder;

  BatchScorer(
      Schema input, int topK, @Nullable Double thresholdOverride, boolean approximateReasons) {
    this.layout = new FeatureLayout(input);
    this.topK = topK;
    this.thresholdOverride = thresholdOverride;
    this.approximateReasons = approximateReasons;
    this.payloads = RowJsonCodec.of(input);
  }

  FeatureLayout layout() {
    return layout;
  }

  /** Scores the batch with the model in {@code folder}. */
  void score(String folder, String version, List<Pending> rows, Emitter out) {
    if (rows.isEmpty()) {
      return;
    }
    LoadedModel model;
    try {
      model = ModelCache.acquire(folder, version);
    } catch (Exception e) {
      deadLetterAll(rows, out, "cannot load model " + version + ": " + message(e));
      return;
    }
    try {
      int[] indexes = indexesFor(model);
      if (indexes == null) {
        deadLetterAll(rows, out, layout.mismatch(model.featureNames(), model.version()));
        return;
      }
      int d = indexes.length;
      float[] values = new float[rows.size() * d];
      List<Pending> accepted = denseFeatures(model, indexes, rows, values, out);
      if (accepted.isEmpty()) {
        return;
      }
      if (accepted.size() < rows.size()) {
        values = Arrays.copyOf(values, accepted.size() * d);
      }
      try {
        scoreWith(model, values, accepted, out);
      } catch (Exception e) {
        deadLetterAll(accepted, out, "model " + version + " failed to predict: " + message(e));
      }
    } finally {
      ModelCache.release(model);
    }
  }

  /**
   * Fills {@code values} with the rows' features in model order and returns the rows it holds, in
   * order. A row with an infinite feature, or one beyond float range (which becomes infinite as a
   * float), goes to dead letters naming the feature: XGBoost has no meaning for it, and letting it
   * into the batch could fail the whole prediction. NaN and null stay missing values.
   */
  private List<Pending> denseFeatures(
      LoadedModel model, int[] indexes, List<Pending> rows, float[] values, Emitter out) {
    List<Pending> accepted = rows;
    int kept = 0;
    for (int i = 0; i < rows.size(); i++) {
      Pending pending = rows.get(i);
      int bad = layout.fill(pending.row, indexes, values, kept * indexes.length);
      if (bad < 0) {
        if (accepted != rows) {
          accepted.add(pending);
        }
        kept++;
        continue;
      }
      if (accepted == rows) {
        accepted = new ArrayList<>(rows.subList(0, i));
      }
      String feature = model.featureNames().get(bad);
      deadLetter(pending, out, nonFiniteReason(feature, layout.value(pending.row, feature)));
    }
    return accepted;
  }

  private static String nonFiniteReason(String feature, @Nullable Double value) {
    if (value != null && Double.isInfinite(value)) {
      return "feature '"
          + feature
          + "' is "
          + value
          + ": XGBoost takes finite values only (null or NaN means missing)";
    }
    return "feature '"
        + feature
        + "' is "
        + value
        + ", beyond the float range XGBoost takes (magnitude at most "
        + Float.MAX_VALUE
        + "; null or NaN means missing)";
  }

  private void scoreWith(LoadedModel model, float[] values, List<Pending> rows, Emitter out)
      throws Exception {
    int n = rows.size();
    float[] scores = model.predict(values, n);
    double threshold = thresholdOverride == null ? model.threshold() : thresholdOverride;
    List<Row>[] reasons = topK == 0 ? null : reasonsAtOrAbove(model, values, scores, threshold);
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i).row;
      out.score(
          rows.get(i),
          Score.of(
              layout.key(row),
              layout.eventId(row),
              layout.featureTime(row, rows.get(i).timestamp),
              scores[i],
              model.version(),
              threshold,
              layout.label(row),
              reasons == null ? null : reasons[i]));
    }
    scored.inc(n);
    batches.inc();
    batchSizes.update(n);
  }

  /** Top-k contributions of the rows scoring at or above the threshold; null for the others. */
  @SuppressWarnings("unchecked")
  private List<Row>[] reasonsAtOrAbove(
      LoadedModel model, float[] values, float[] scores, double threshold) throws Exception {
    int d = model.featureNames().size();
    List<Integer> alerting = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] >= threshold) {
        alerting.add(i);
      }
    }
    List<Row>[] reasons = new List[scores.length];
    if (alerting.isEmpty()) {
      return reasons;
    }
    float[] subset = new float[alerting.size() * d];
    for (int a = 0; a < alerting.size(); a++) {
      System.arraycopy(values, alerting.get(a) * d, subset, a * d, d);
    }
    float[][] contributions =
        approximateReasons
            ? model.approximateContributions(subset, alerting.size())
            : model.contributions(subset, alerting.size());
    for (int a = 0; a < alerting.size(); a++) {
      reasons[alerting.get(a)] =
          topContributions(model.featureNames(), contributions[a], subset, a * d);
    }
    return reasons;
  }

  /** The k features with the largest positive contributions, largest first. */
  private List<Row> topContributions(
      List<String> names, float[] contributions, float[] values, int offset) {
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < names.size(); j++) {
      if (contributions[j] > 0) {
        order.add(j);
      }
    }
    // Ties broken by feature order, so the reasons are deterministic.
    order.sort((a, b) -> a.equals(b) ? 0 : Float.compare(contributions[b], contributions[a]));
    List<Row> top = new ArrayList<>();
    for (int j : order.subList(0, Math.min(topK, order.size()))) {
      float value = values[offset + j];
      top.add(
          Reason.of(
              names.get(j), Float.isNaN(value) ? null : (double) value, (double) contributions[j]));
    }
    return top;
  }

  /** Feature positions for the model, or null if the rows do not fit it; cached per folder. */
  private int @Nullable [] indexesFor(LoadedModel model) {
    if (indexesByFolder == null) {
      indexesByFolder = new HashMap<>();
    }
    if (!indexesByFolder.containsKey(model.folder())) {
      boolean fits = layout.mismatch(model.featureNames(), model.version()) == null;
      indexesByFolder.put(model.folder(), fits ? layout.indexes(model.featureNames()) : null);
    }
    return indexesByFolder.get(model.folder());
  }

  private void deadLetterAll(List<Pending> rows, Emitter out, String reason) {
    for (Pending pending : rows) {
      deadLetter(pending, out, reason);
    }
  }

  private void deadLetter(Pending pending, Emitter out, String reason) {
    Row row = pending.row;
    out.deadLetter(
        pending,
        DeadLetter.of(
            ScoreWithXGBoost.DEAD_LETTER_SOURCE,
            DeadLetter.Stage.SCORE,
            payloads.toJson(row),
            reason,
            layout.featureTime(row, pending.timestamp),
            Instant.now()));
    failed.inc();
  }

  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
