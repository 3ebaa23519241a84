package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.RetrainTrigger;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** PERFORMANCE_DROP: AUC below the minimum for windows in a row, once per incident. */
@RunWith(JUnit4.class)
public class PerformanceTriggersTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.standardMinutes(30);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Row window(int i, long labelled, Double auc) {
    return Row.withSchema(ModelPerformance.schema())
        .withFieldValue(ModelPerformance.WINDOW_START, T0.plus(WINDOW.multipliedBy(i)))
        .withFieldValue(ModelPerformance.WINDOW_END, T0.plus(WINDOW.multipliedBy(i + 1)))
        .withFieldValue(ModelPerformance.LABELLED, labelled)
        .withFieldValue(ModelPerformance.POSITIVES, labelled / 10)
        .withFieldValue(ModelPerformance.AUC_ROC, auc)
        .withFieldValue(ModelPerformance.THRESHOLD, 0.5)
        .build();
  }

  @Test
  public void aucBelowTheMinimumTwiceInARowGivesOneTrigger() {
    // AUC per window: good, good, bad, bad, bad, too few labels, good, good, bad, bad.
    double[] auc = {0.95, 0.94, 0.7, 0.6, 0.65, 0.2, 0.93, 0.95, 0.7, 0.7};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < auc.length; i++) {
      rows.add(window(i, i == 5 ? 10 : 1000, auc[i]));
    }
    RetrainPolicy policy =
        RetrainPolicy.defaults().withMinAuc(0.8).withCooldown(Duration.standardHours(1));
    PCollection<String> triggers =
        pipeline
            .apply(Create.of(rows).withRowSchema(ModelPerformance.schema()))
            .apply(DetectRetrainTriggers.onPerformance(policy))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        t ->
                            t.getString(RetrainTrigger.REASON)
                                + " at window "
                                + (t.getDateTime(RetrainTrigger.WINDOW_START).getMillis()
                                        - T0.getMillis())
                                    / WINDOW.getMillis()));
    PAssert.that(triggers)
        .containsInAnyOrder("PERFORMANCE_DROP at window 3", "PERFORMANCE_DROP at window 9");
    pipeline.run();
  }

  @Test
  public void aWindowWithoutAucOrAlreadyJudgedChangesNothing() {
    RetrainPolicy policy = RetrainPolicy.defaults().withMinAuc(0.8).withWindowsToTrigger(1);
    RetrainPolicy.State state = new RetrainPolicy.State();
    long hour = 3_600_000;
    assertNull(policy.nextPerformance(state, hour, 1000, null));
    assertNull(policy.nextPerformance(state, hour, 5, 0.1));
    assertEquals(
        RetrainTrigger.Reason.PERFORMANCE_DROP, policy.nextPerformance(state, hour, 1000, 0.5));
    // A refired pane of the same window is not a second window in a row.
    assertNull(policy.nextPerformance(state, hour, 1200, 0.5));
    // Without a minimum AUC, performance never triggers.
    assertNull(
        RetrainPolicy.defaults().nextPerformance(new RetrainPolicy.State(), hour, 1000, 0.1));
  }
}
