package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DriftMetric;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Window-to-window drift: three windows, the second like the first and the third shifted. The
 * second compared with the first is OK, the third with the second drifts, the first has nothing to
 * be compared with; the reference fields describe the previous window.
 */
@RunWith(JUnit4.class)
public class CompareWithPreviousWindowTest {

  private static final Schema ROWS =
      Schema.builder()
          .addStringField("key")
          .addNullableField("amount", Schema.FieldType.DOUBLE)
          .build();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final int N = 1000;

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** amount uniform on 0..999 (score = amount / 1000, not profiled here). */
  private static ReferenceProfile reference() {
    float[] values = new float[N];
    float[] scores = new float[N];
    for (int i = 0; i < N; i++) {
      values[i] = i;
      scores[i] = i / 1000f;
    }
    return ReferenceProfile.compute(List.of("amount"), values, scores, 10);
  }

  private static List<TimestampedValue<Row>> window(int minute, double shift) {
    List<TimestampedValue<Row>> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      rows.add(
          TimestampedValue.of(
              Row.withSchema(ROWS).addValues("k", i + shift).build(),
              T0.plus(MINUTE.multipliedBy(minute)).plus(Duration.millis(i))));
    }
    return rows;
  }

  @Test
  public void aSuddenShiftDriftsAgainstThePreviousWindowAndTheSameMixDoesNot() {
    ReferenceProfile reference = reference();
    List<TimestampedValue<Row>> input = new ArrayList<>(window(2, 500));
    input.addAll(window(0, 0));
    input.addAll(window(1, 0));
    PCollection<Row> metrics =
        pipeline
            .apply(Create.timestamped(input).withCoder(SchemaCoder.of(ROWS)))
            .apply(ProfileWindow.of(reference, MINUTE))
            .apply(CompareWithPreviousWindow.of(reference, MINUTE));

    PAssert.that(metrics)
        .satisfies(
            rows -> {
              Map<Long, Row> byMinute = new HashMap<>();
              rows.forEach(
                  r ->
                      byMinute.put(
                          (r.getDateTime(DriftMetric.WINDOW_START).getMillis() - T0.getMillis())
                              / MINUTE.getMillis(),
                          r));
              assertEquals(
                  byMinute.toString(),
                  List.of(1L, 2L),
                  List.copyOf(new java.util.TreeSet<>(byMinute.keySet())));
              Row same = byMinute.get(1L);
              assertEquals(same.toString(), "OK", same.getString(DriftMetric.VERDICT));
              assertEquals(0.0, same.getDouble(DriftMetric.PSI), 1e-9);
              assertEquals(1000L, (long) same.getInt64(DriftMetric.REFERENCE_COUNT));
              Row shifted = byMinute.get(2L);
              assertEquals(shifted.toString(), "DRIFT", shifted.getString(DriftMetric.VERDICT));
              assertTrue(shifted.toString(), shifted.getDouble(DriftMetric.PSI) > 0.25);
              // The previous window's mean, not training's (the same here: both 499.5).
              assertEquals(499.5, shifted.getDouble(DriftMetric.REFERENCE_MEAN), 1e-9);
              assertEquals(999.5, shifted.getDouble(DriftMetric.MEAN), 1e-9);
              return null;
            });
    pipeline.run();
  }
}
