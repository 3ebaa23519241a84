package io.streamml.transforms.drift;

import static org.junit.Assert.assertEquals;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.DriftSpec;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Thresholds from a use-case spec's drift section decide verdicts, per feature where declared. */
@RunWith(JUnit4.class)
public class SpecThresholdsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ReferenceProfile reference() {
    int n = 2000;
    float[] values = new float[2 * n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      values[2 * i] = i;
      values[2 * i + 1] = i;
      scores[i] = (float) i / n;
    }
    return ReferenceProfile.compute(List.of("a", "b"), values, scores, 10);
  }

  /** A window of the same shift for {@code column}: every value moved up by a quarter range. */
  private static Row shiftedWindow(ReferenceProfile reference, String column) {
    FeatureReference ref = reference.feature(column);
    ColumnProfile profile = new ColumnProfile(ref.numBins());
    for (int i = 0; i < 2000; i++) {
      profile.add(ref, (double) i + 500);
    }
    return profile.toRow(T0, T0.plus(3_600_000), null, column);
  }

  private static String verdict(ReferenceProfile reference, String column, DriftSpec spec) {
    return ComputeDrift.compare(
            shiftedWindow(reference, column), reference, DriftThresholds.fromSpec(spec))
        .getString(DriftMetric.VERDICT);
  }

  @Test
  public void aFeatureThresholdInTheSpecChangesThatFeaturesVerdictOnly() {
    ReferenceProfile reference = reference();
    DriftSpec defaults = DriftSpec.defaults();
    assertEquals("DRIFT", verdict(reference, "a", defaults));
    assertEquals("DRIFT", verdict(reference, "b", defaults));
    DriftSpec lenientOnA =
        defaults
            .withFeatureThreshold("a", DriftMetric.PSI, 5, 10)
            .withFeatureThreshold("a", DriftMetric.JS_DISTANCE, 0.9, 0.9)
            .withFeatureThreshold("a", DriftMetric.WASSERSTEIN_NORMALIZED, 5, 5);
    assertEquals("OK", verdict(reference, "a", lenientOnA));
    assertEquals("DRIFT", verdict(reference, "b", lenientOnA));
  }

  @Test
  public void specLevelsForEveryFeatureReplaceTheDefaults() {
    DriftThresholds thresholds =
        DriftThresholds.fromSpec(DriftSpec.defaults().withThreshold(DriftMetric.PSI, 0.3, 0.6));
    assertEquals(0.3, thresholds.warn("any", DriftMetric.PSI), 0);
    assertEquals(0.6, thresholds.drift("any", DriftMetric.PSI), 0);
    // Metrics the spec leaves out keep the defaults users know.
    assertEquals(0.1, thresholds.drift("any", DriftMetric.JS_DISTANCE), 0);
    assertEquals(0.1, thresholds.drift("any", DriftMetric.WASSERSTEIN_NORMALIZED), 0);
    assertEquals(0.1, DriftThresholds.defaults().warn("any", DriftMetric.PSI), 0);
    assertEquals(0.25, DriftThresholds.defaults().drift("any", DriftMetric.PSI), 0);
  }
}
