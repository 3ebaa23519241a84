package io.streamml.transforms.alerts;

import io.streamml.schemas.Alert;
import io.streamml.schemas.Score;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An {@link Alert} (kind {@code model}) for every {@link Score} at or above the threshold it was
 * scored against (the bundle's, or the scoring transform's override), with the score's top feature
 * contributions as the reasons. Element-wise: keeps timestamps and windows, bounded or unbounded.
 * Counts {@code model_alerts} in {@value AlertOnRules#METRICS_NAMESPACE}.
 */
public final class AlertOnScores extends PTransform<PCollection<Row>, PCollection<Row>> {

  private AlertOnScores() {}

  public static AlertOnScores create() {
    return new AlertOnScores();
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> scores) {
    return scores.apply("RaiseModelAlerts", ParDo.of(new AlertFn())).setRowSchema(Alert.SCHEMA);
  }

  private static List<Row> reasons(@Nullable Iterable<Row> contributions) {
    List<Row> reasons = new ArrayList<>();
    if (contributions != null) {
      contributions.forEach(reasons::add);
    }
    return reasons;
  }

  private static final class AlertFn extends DoFn<Row, Row> {
    private final Counter alerts = Metrics.counter(AlertOnRules.METRICS_NAMESPACE, "model_alerts");

    @ProcessElement
    public void process(@Element Row score, OutputReceiver<Row> out) {
      double value = score.getDouble(Score.SCORE);
      double threshold = score.getDouble(Score.THRESHOLD);
      if (value < threshold) {
        return;
      }
      alerts.inc();
      out.output(
          Alert.of(
              score.getString(Score.KEY),
              score.getString(Score.EVENT_ID),
              score.getDateTime(Score.FEATURE_TIME).toInstant(),
              Alert.Kind.MODEL,
              score.getString(Score.MODEL_VERSION),
              value,
              threshold,
              reasons(score.getIterable(Score.CONTRIBUTIONS))));
    }
  }
}
