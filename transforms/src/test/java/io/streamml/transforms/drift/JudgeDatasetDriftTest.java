package io.streamml.transforms.drift;

import io.streamml.schemas.DatasetDrift;
import io.streamml.schemas.DriftMetric;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The dataset verdict per window follows the share it is given, not a fixed one. */
@RunWith(JUnit4.class)
public class JudgeDatasetDriftTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Row metric(int window, String column, String verdict) {
    return Row.withSchema(DriftMetric.schema())
        .withFieldValue(DriftMetric.WINDOW_START, T0.plus(3_600_000L * window))
        .withFieldValue(DriftMetric.WINDOW_END, T0.plus(3_600_000L * (window + 1)))
        .withFieldValue(DriftMetric.COLUMN, column)
        .withFieldValue(DriftMetric.COUNT, 1000L)
        .withFieldValue(DriftMetric.MISSING, 0L)
        .withFieldValue(DriftMetric.REFERENCE_COUNT, 1000L)
        .withFieldValue(DriftMetric.MISSING_SHARE_CHANGE, 0.0)
        .withFieldValue(DriftMetric.VERDICT, verdict)
        .withFieldValue(DriftMetric.REASONS, "")
        .build();
  }

  @Test
  public void oneOfFourFeaturesDriftingIsDatasetDriftAtAQuarterButNotAtHalf() {
    List<Row> metrics = new ArrayList<>();
    // Window 0: nothing drifted. Window 1: one of four features and the score drifted.
    for (String column : List.of("a", "b", "c", "d", "score")) {
      metrics.add(metric(0, column, "OK"));
      metrics.add(metric(1, column, column.equals("a") || column.equals("score") ? "DRIFT" : "OK"));
    }
    PCollection<Row> input = pipeline.apply(Create.of(metrics).withRowSchema(DriftMetric.schema()));
    PAssert.that(describe(input.apply("AtAQuarter", JudgeDatasetDrift.atShare(0.25)), "q"))
        .containsInAnyOrder("q 0: 0/4 OK score false", "q 1: 1/4 DRIFT score true");
    PAssert.that(describe(input.apply("AtHalf", JudgeDatasetDrift.atShare(0.5)), "h"))
        .containsInAnyOrder("h 0: 0/4 OK score false", "h 1: 1/4 OK score true");
    pipeline.run();
  }

  private static PCollection<String> describe(PCollection<Row> verdicts, String name) {
    return verdicts.apply(
        "Describe" + name,
        MapElements.into(TypeDescriptors.strings())
            .via(
                v ->
                    name
                        + " "
                        + (v.getDateTime(DatasetDrift.WINDOW_START).getMillis() - T0.getMillis())
                            / 3_600_000
                        + ": "
                        + v.getInt32(DatasetDrift.DRIFTED_FEATURES)
                        + "/"
                        + v.getInt32(DatasetDrift.FEATURES)
                        + " "
                        + v.getString(DatasetDrift.VERDICT)
                        + " score "
                        + v.getBoolean(DatasetDrift.SCORE_DRIFTED)));
  }
}
