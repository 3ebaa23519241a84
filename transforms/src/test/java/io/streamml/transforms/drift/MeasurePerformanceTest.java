package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.ModelPerformance;
import io.streamml.transforms.testing.FlinkCountsTooLateDataFromASecondTestStream;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Labels joined to scores by id per window, including labels that arrive after the window. */
@RunWith(JUnit4.class)
public class MeasurePerformanceTest {

  private static final Schema SCORE =
      Schema.builder()
          .addStringField("event_id")
          .addDoubleField("score")
          .addDoubleField("threshold")
          .build();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration HOUR = Duration.standardHours(1);

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static TimestampedValue<Row> score(String id, double score, Instant time) {
    return TimestampedValue.of(Row.withSchema(SCORE).addValues(id, score, 0.5).build(), time);
  }

  private static TimestampedValue<Row> label(String id, double label, Instant time) {
    return TimestampedValue.of(
        Row.withSchema(ModelPerformance.labelSchema()).addValues(id, label, time).build(), time);
  }

  private static String describe(Row p) {
    return String.format(
        "%d n=%d pos=%d auc=%s p=%s r=%s ece=%.3f",
        (p.getDateTime(ModelPerformance.WINDOW_START).getMillis() - T0.getMillis())
            / HOUR.getMillis(),
        p.getInt64(ModelPerformance.LABELLED),
        p.getInt64(ModelPerformance.POSITIVES),
        p.getDouble(ModelPerformance.AUC_ROC),
        p.getDouble(ModelPerformance.PRECISION),
        p.getDouble(ModelPerformance.RECALL),
        p.getDouble(ModelPerformance.CALIBRATION_ERROR));
  }

  private static final Schema WINDOW_SCORE =
      Schema.builder()
          .addStringField("event_id")
          .addDateTimeField("feature_time")
          .addDoubleField("score")
          .addDoubleField("threshold")
          .build();

  /** A per-window score: it carries its window's latest event id, shared by other windows. */
  private static TimestampedValue<Row> windowScore(String id, Instant end, double score) {
    return TimestampedValue.of(
        Row.withSchema(WINDOW_SCORE).addValues(id, end.toDateTime(), score, 0.5).build(), end);
  }

  @Test
  public void scoresOfSeveralWindowsSharingTheirLatestEventEachTakeItsLabel() {
    // Two sliding windows (ending at :10 and :20) whose latest reading is r1, and a re-delivered
    // copy of the first: two scores take r1's label, not three, not one.
    Instant end1 = T0.plus(Duration.standardMinutes(10));
    Instant end2 = T0.plus(Duration.standardMinutes(20));
    List<TimestampedValue<Row>> scores =
        List.of(
            windowScore("r1", end1, 0.9),
            windowScore("r1", end1, 0.9),
            windowScore("r1", end2, 0.2));
    PCollection<Row> performance =
        PCollectionTuple.of(
                MeasurePerformance.SCORES,
                pipeline.apply(
                    "Scores", Create.timestamped(scores).withCoder(SchemaCoder.of(WINDOW_SCORE))))
            .and(
                MeasurePerformance.LABELS,
                pipeline.apply(
                    "Labels",
                    Create.timestamped(List.of(label("r1", 1, end1)))
                        .withCoder(SchemaCoder.of(ModelPerformance.labelSchema()))))
            .apply(MeasurePerformance.perWindow(HOUR));

    PAssert.that(
            performance.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        p ->
                            p.getInt64(ModelPerformance.LABELLED)
                                + " labelled, "
                                + p.getInt64(ModelPerformance.POSITIVES)
                                + " positive")))
        .containsInAnyOrder("2 labelled, 2 positive");
    pipeline.run();
  }

  @Test
  public void eachWindowIsMeasuredOnItsLabelledScores() {
    List<TimestampedValue<Row>> scores = new ArrayList<>();
    List<TimestampedValue<Row>> labels = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      boolean positive = i % 2 == 0;
      // Window 0: positives score 0.9, negatives 0.1 (perfect); window 1: the reverse.
      Instant first = T0.plus(Duration.standardMinutes(i));
      Instant second = first.plus(HOUR);
      scores.add(score("a" + i, positive ? 0.9 : 0.1, first));
      scores.add(score("b" + i, positive ? 0.1 : 0.9, second));
      labels.add(label("a" + i, positive ? 1 : 0, first));
      labels.add(label("b" + i, positive ? 1 : 0, second));
    }
    scores.add(score("unlabelled", 0.7, T0)); // never labelled: not counted
    labels.add(label("unscored", 1, T0)); // never scored: not counted
    PCollection<Row> performance =
        PCollectionTuple.of(
                MeasurePerformance.SCORES,
                pipeline.apply(
                    "Scores", Create.timestamped(scores).withCoder(SchemaCoder.of(SCORE))))
            .and(
                MeasurePerformance.LABELS,
                pipeline.apply(
                    "Labels",
                    Create.timestamped(labels)
                        .withCoder(SchemaCoder.of(ModelPerformance.labelSchema()))))
            .apply(MeasurePerformance.perWindow(HOUR));

    // Window 0: 5 positives at 0.9, 5 negatives at 0.1: AUC 1, all alerts right; ECE = 0.1
    // (each bin's mean score is 0.1 away from its observed rate). Window 1: AUC 0, no alert right.
    PAssert.that(
            performance.apply(MapElements.into(TypeDescriptors.strings()).via(p -> describe(p))))
        .containsInAnyOrder(
            "0 n=10 pos=5 auc=1.0 p=1.0 r=1.0 ece=0.100",
            "1 n=10 pos=5 auc=0.0 p=0.0 r=0.0 ece=0.900");
    pipeline.run();
  }

  @Test
  @Category({UsesTestStream.class, FlinkCountsTooLateDataFromASecondTestStream.class})
  public void labelsArrivingAfterTheWindowCountUntilTheMaximumDelay() {
    TestStream<Row> scores =
        TestStream.create(SchemaCoder.of(SCORE))
            .addElements(
                score("a", 0.9, T0.plus(Duration.standardMinutes(1))),
                score("b", 0.1, T0.plus(Duration.standardMinutes(2))),
                score("c", 0.8, T0.plus(Duration.standardMinutes(3))))
            .advanceWatermarkToInfinity();
    Instant a = T0.plus(Duration.standardMinutes(1));
    Instant b = T0.plus(Duration.standardMinutes(2));
    Instant c = T0.plus(Duration.standardMinutes(3));
    TestStream<Row> labels =
        TestStream.create(SchemaCoder.of(ModelPerformance.labelSchema()))
            // Chargebacks: known only hours after the window closed, within the 6 h allowed.
            .advanceWatermarkTo(T0.plus(Duration.standardHours(3)))
            .addElements(label("a", 1, a), label("b", 0, b))
            // Past the maximum delay: too late to count.
            .advanceWatermarkTo(T0.plus(Duration.standardHours(8)))
            .addElements(label("c", 0, c))
            .advanceWatermarkToInfinity();
    PCollection<Row> performance =
        PCollectionTuple.of(MeasurePerformance.SCORES, pipeline.apply("Scores", scores))
            .and(MeasurePerformance.LABELS, pipeline.apply("Labels", labels))
            .apply(MeasurePerformance.perWindow(HOUR).withMaxLabelDelay(Duration.standardHours(6)));

    PAssert.that(
            performance.apply(MapElements.into(TypeDescriptors.strings()).via(p -> describe(p))))
        .inWindow(new IntervalWindow(T0, HOUR))
        .satisfies(
            panes -> {
              // Late panes accumulate: the last has both in-time labels; c never counts.
              List<String> all = new ArrayList<>();
              panes.forEach(all::add);
              assertTrue(all.toString(), all.contains("0 n=2 pos=1 auc=1.0 p=1.0 r=1.0 ece=0.100"));
              assertTrue(all.toString(), all.stream().noneMatch(d -> d.contains("n=3")));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void calibrationErrorOfAPerfectlyCalibratedBinIsZero() {
    // Ten rows at 0.3 with three positives: the bin's mean score equals its positive rate.
    float[] scores = new float[10];
    float[] labels = new float[10];
    for (int i = 0; i < 10; i++) {
      scores[i] = 0.3f;
      labels[i] = i < 3 ? 1 : 0;
    }
    assertEquals(0, MeasurePerformance.expectedCalibrationError(scores, labels), 1e-6);
  }
}
