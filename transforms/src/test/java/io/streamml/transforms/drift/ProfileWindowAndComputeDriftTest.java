package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.WindowProfile;
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

/**
 * Window profiles against a reference built from the same kind of rows: identical windows show no
 * drift, a shifted window crosses the thresholds, and empty, constant and all-missing columns give
 * finite (or null) metrics, never NaN or infinity.
 */
@RunWith(JUnit4.class)
public class ProfileWindowAndComputeDriftTest {

  private static final Schema SCORED =
      Schema.builder()
          .addStringField("key")
          .addNullableField("amount", Schema.FieldType.DOUBLE)
          .addNullableField("flag", Schema.FieldType.DOUBLE)
          .addNullableField("score", Schema.FieldType.DOUBLE)
          .build();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final int N = 1000;

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** amount uniform on 0..999, flag constant 1, score = amount / 1000. */
  private static ReferenceProfile reference() {
    float[] values = new float[N * 2];
    float[] scores = new float[N];
    for (int i = 0; i < N; i++) {
      values[2 * i] = i;
      values[2 * i + 1] = 1;
      scores[i] = i / 1000f;
    }
    return ReferenceProfile.compute(List.of("amount", "flag"), values, scores, 10);
  }

  private static Row row(double amount, Double flag) {
    return Row.withSchema(SCORED).addValues("k", amount, flag, amount / 1000).build();
  }

  /** The reference's own rows in the first minute, the same rows shifted by +500 in the second. */
  private PCollection<Row> sameThenShifted() {
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(SCORED));
    List<TimestampedValue<Row>> first = new ArrayList<>();
    List<TimestampedValue<Row>> second = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      first.add(TimestampedValue.of(row(i, 1.0), T0.plus(Duration.millis(i))));
      second.add(TimestampedValue.of(row(i + 500, 1.0), T0.plus(MINUTE).plus(Duration.millis(i))));
    }
    return pipeline.apply(
        stream
            .addElements(first.get(0), rest(first))
            .advanceWatermarkTo(T0.plus(MINUTE))
            .addElements(second.get(0), rest(second))
            .advanceWatermarkToInfinity());
  }

  @SuppressWarnings("unchecked")
  private static TimestampedValue<Row>[] rest(List<TimestampedValue<Row>> values) {
    return values.subList(1, values.size()).toArray(new TimestampedValue[0]);
  }

  private static String summary(Row metric) {
    return String.format(
        "%s %s %s",
        metric.getDateTime(DriftMetric.WINDOW_START).toInstant().getMillis() - T0.getMillis(),
        metric.getString(DriftMetric.COLUMN),
        metric.getString(DriftMetric.VERDICT));
  }

  @Test
  @Category(UsesTestStream.class)
  public void identicalWindowShowsNoDriftAndShiftedWindowCrossesTheThresholds() {
    ReferenceProfile reference = reference();
    PCollection<Row> metrics =
        sameThenShifted()
            .apply(ProfileWindow.of(reference, MINUTE))
            .apply(ComputeDrift.against(reference));

    PAssert.that(metrics.apply(MapElements.into(TypeDescriptors.strings()).via(m -> summary(m))))
        .containsInAnyOrder(
            "0 amount OK",
            "0 flag OK",
            "0 score OK",
            "60000 amount DRIFT",
            "60000 flag OK",
            "60000 score DRIFT");
    PAssert.that(metrics)
        .inWindow(new IntervalWindow(T0, MINUTE))
        .satisfies(
            rows -> {
              for (Row m : rows) {
                assertEquals(0.0, m.getDouble(DriftMetric.PSI), 1e-12);
                assertEquals(0.0, m.getDouble(DriftMetric.KS), 1e-12);
                assertEquals(0.0, m.getDouble(DriftMetric.JS_DISTANCE), 1e-12);
                assertEquals(0.0, m.getDouble(DriftMetric.WASSERSTEIN_NORMALIZED), 1e-12);
                assertEquals(N, (long) m.getInt64(DriftMetric.COUNT));
              }
              return null;
            });
    PAssert.that(metrics)
        .inWindow(new IntervalWindow(T0.plus(MINUTE), MINUTE))
        .satisfies(
            rows -> {
              for (Row m : rows) {
                if (m.getString(DriftMetric.COLUMN).equals("amount")) {
                  // Half the mass moved above the last edge (900): the top bin holds 600 of
                  // 1000 instead of 100; the cumulative gap peaks at 0.5 (edge 500).
                  assertEquals(0.5, m.getDouble(DriftMetric.KS), 1e-12);
                  assertTrue(m.getDouble(DriftMetric.PSI) > 0.25);
                  assertTrue(m.getDouble(DriftMetric.KS_P_VALUE) < 1e-6);
                  assertTrue(m.getString(DriftMetric.REASONS).contains("psi"));
                }
              }
              return null;
            });
    pipeline.run();
  }

  @Test
  public void allMissingAndUnseenColumnsGiveNullMetricsNotNaN() {
    ReferenceProfile reference = reference();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(Row.withSchema(SCORED).addValues("k", null, 1.0, null).build());
    }
    PCollection<Row> metrics =
        pipeline
            .apply(Create.timestamped(timestamped(rows)).withCoder(SchemaCoder.of(SCORED)))
            .apply(ProfileWindow.of(reference, MINUTE))
            .apply(ComputeDrift.against(reference));

    PAssert.that(metrics)
        .satisfies(
            all -> {
              int seen = 0;
              for (Row m : all) {
                seen++;
                String column = m.getString(DriftMetric.COLUMN);
                assertEquals(column, "INSUFFICIENT_DATA", m.getString(DriftMetric.VERDICT));
                if (!column.equals("flag")) {
                  assertEquals(10L, (long) m.getInt64(DriftMetric.MISSING));
                  assertEquals(null, m.getDouble(DriftMetric.PSI));
                  assertEquals(1.0, m.getDouble(DriftMetric.MISSING_SHARE_CHANGE), 1e-12);
                } else {
                  // a constant feature, constant again: finite zeros, no division by zero
                  assertEquals(0.0, m.getDouble(DriftMetric.PSI), 0);
                  assertEquals(0.0, m.getDouble(DriftMetric.WASSERSTEIN_NORMALIZED), 0);
                }
              }
              assertEquals(3, seen);
              return null;
            });
    pipeline.run();
  }

  @Test
  public void profilesPerSegmentAreSeparate() {
    ReferenceProfile reference = reference();
    Schema segmented =
        Schema.builder()
            .addStringField("segment")
            .addDoubleField("amount")
            .addDoubleField("flag")
            .build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(
          Row.withSchema(segmented).addValues(i % 3 == 0 ? "a" : "b", (double) i, 1.0).build());
    }
    PCollection<String> counts =
        pipeline
            .apply(Create.timestamped(timestamped(rows)).withCoder(SchemaCoder.of(segmented)))
            .apply(ProfileWindow.of(reference, MINUTE).withSegmentField("segment"))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        p ->
                            p.getString(WindowProfile.SEGMENT)
                                + " "
                                + p.getString(WindowProfile.COLUMN)
                                + " "
                                + p.getInt64(WindowProfile.COUNT)));

    PAssert.that(counts).containsInAnyOrder("a amount 10", "a flag 10", "b amount 20", "b flag 20");
    pipeline.run();
  }

  @Test
  public void scoreRowsAreProfiledOnTheirScoreAlone() {
    ReferenceProfile reference = reference();
    Schema scores = Schema.builder().addStringField("key").addDoubleField("score").build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      rows.add(Row.withSchema(scores).addValues("k", i / 1000.0).build());
    }
    PCollection<String> metrics =
        pipeline
            .apply(Create.timestamped(timestamped(rows)).withCoder(SchemaCoder.of(scores)))
            .apply(ProfileWindow.ofScores(reference, MINUTE))
            .apply(ComputeDrift.against(reference))
            .apply(MapElements.into(TypeDescriptors.strings()).via(m -> summary(m)));

    PAssert.that(metrics).containsInAnyOrder("0 score OK");
    pipeline.run();
  }

  @Test
  public void aFeatureTheInputLacksIsRefusedBeforeRunning() {
    Schema noAmount = Schema.builder().addDoubleField("flag").build();
    PCollection<Row> input =
        org.apache.beam.sdk.Pipeline.create().apply(Create.empty(SchemaCoder.of(noAmount)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> input.apply(ProfileWindow.of(reference(), MINUTE)));
    assertTrue(e.getMessage(), e.getMessage().contains("Cannot profile features [amount]"));
  }

  private static List<TimestampedValue<Row>> timestamped(List<Row> rows) {
    List<TimestampedValue<Row>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(TimestampedValue.of(rows.get(i), T0.plus(Duration.millis(i))));
    }
    return out;
  }
}
