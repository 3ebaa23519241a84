package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.RetrainTrigger;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.testing.UsesTestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
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

/** One incident, one trigger: hysteresis, cool-down and schedule, on bounded and live input. */
@RunWith(JUnit4.class)
public class DetectRetrainTriggersTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.standardMinutes(30);
  // Windows 0..9: calm, calm, drift x4, calm x2, drift x2.
  private static final boolean[] DRIFTED = {
    false, false, true, true, true, true, false, false, true, true
  };

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** Two feature rows per window: both drifted, or neither. */
  private static List<Row> metrics(int window, boolean drifted) {
    List<Row> rows = new ArrayList<>();
    for (String column : List.of("a", "b")) {
      rows.add(
          Row.withSchema(DriftMetric.schema())
              .withFieldValue(DriftMetric.WINDOW_START, T0.plus(WINDOW.multipliedBy(window)))
              .withFieldValue(DriftMetric.WINDOW_END, T0.plus(WINDOW.multipliedBy(window + 1)))
              .withFieldValue(DriftMetric.COLUMN, column)
              .withFieldValue(DriftMetric.COUNT, 1000L)
              .withFieldValue(DriftMetric.MISSING, 0L)
              .withFieldValue(DriftMetric.REFERENCE_COUNT, 1000L)
              .withFieldValue(DriftMetric.MISSING_SHARE_CHANGE, 0.0)
              .withFieldValue(DriftMetric.VERDICT, drifted ? "DRIFT" : "OK")
              .withFieldValue(DriftMetric.REASONS, "")
              .build());
    }
    return rows;
  }

  private static PCollection<String> describe(PCollection<Row> triggers) {
    return triggers.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(
                t ->
                    t.getString(RetrainTrigger.REASON)
                        + " at window "
                        + (t.getDateTime(RetrainTrigger.WINDOW_START).getMillis() - T0.getMillis())
                            / WINDOW.getMillis()));
  }

  @Test
  public void oneTriggerPerIncidentAndRearmedAfterCalmWindows() {
    List<Row> all = new ArrayList<>();
    for (int w = 0; w < DRIFTED.length; w++) {
      all.addAll(metrics(w, DRIFTED[w]));
    }
    PCollection<Row> triggers =
        pipeline
            .apply(Create.of(all).withCoder(SchemaCoder.of(DriftMetric.schema())))
            .apply(
                DetectRetrainTriggers.withPolicy(
                    RetrainPolicy.defaults().withCooldown(Duration.ZERO)));

    // Second drifted window in a row fires; windows 4-5 are the same incident; two calm windows
    // re-arm; the next incident fires at its second window.
    PAssert.that(describe(triggers))
        .containsInAnyOrder("DATA_DRIFT at window 3", "DATA_DRIFT at window 9");
    pipeline.run();
  }

  @Test
  public void coolDownSuppressesASecondIncidentSoonAfter() {
    List<Row> all = new ArrayList<>();
    for (int w = 0; w < DRIFTED.length; w++) {
      all.addAll(metrics(w, DRIFTED[w]));
    }
    PCollection<Row> triggers =
        pipeline
            .apply(Create.of(all).withCoder(SchemaCoder.of(DriftMetric.schema())))
            .apply(DetectRetrainTriggers.withPolicy(RetrainPolicy.defaults()));

    PAssert.that(describe(triggers)).containsInAnyOrder("DATA_DRIFT at window 3");
    pipeline.run();
  }

  @Test
  @Category(UsesTestStream.class)
  public void liveWindowsAreJudgedAsTheWatermarkPassesThem() {
    TestStream.Builder<Row> stream = TestStream.create(SchemaCoder.of(DriftMetric.schema()));
    for (int w = 0; w < DRIFTED.length; w++) {
      Instant end = T0.plus(WINDOW.multipliedBy(w + 1));
      List<Row> rows = metrics(w, DRIFTED[w]);
      stream =
          stream
              .addElements(
                  TimestampedValue.of(rows.get(0), end.minus(Duration.millis(1))),
                  TimestampedValue.of(rows.get(1), end.minus(Duration.millis(1))))
              .advanceWatermarkTo(end);
    }
    PCollection<Row> triggers =
        pipeline
            .apply(stream.advanceWatermarkToInfinity())
            .apply(Window.into(FixedWindows.of(WINDOW)))
            .apply(
                DetectRetrainTriggers.withPolicy(
                    RetrainPolicy.defaults().withCooldown(Duration.ZERO)));

    PAssert.that(describe(triggers))
        .containsInAnyOrder("DATA_DRIFT at window 3", "DATA_DRIFT at window 9");
    pipeline.run();
  }

  @Test
  public void policyAsksOnScheduleWhenNothingDrifts() {
    RetrainPolicy policy = RetrainPolicy.defaults().withSchedule(Duration.standardHours(2));
    RetrainPolicy.State state = new RetrainPolicy.State();
    long hour = Duration.standardHours(1).getMillis();
    assertNull(policy.next(state, hour, 0, false));
    assertNull(policy.next(state, 2 * hour, 0, false));
    assertEquals(RetrainTrigger.Reason.SCHEDULE, policy.next(state, 3 * hour, 0, false));
    assertNull(policy.next(state, 4 * hour, 0, false));
  }

  @Test
  public void scoreDriftAloneIsPredictionDrift() {
    RetrainPolicy policy = RetrainPolicy.defaults().withWindowsToTrigger(1);
    assertEquals(
        RetrainTrigger.Reason.PREDICTION_DRIFT,
        policy.next(new RetrainPolicy.State(), 1000, 0.1, true));
  }
}
