package io.streamml.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift thresholds and the segment declared in a use-case spec: YAML, JSON and the builder. */
class DriftSpecTest {

  private static final String YAML_DRIFT =
      "drift:\n"
          + "  segmentField: merchant_category\n"
          + "  datasetDriftShare: 0.3\n"
          + "  thresholds:\n"
          + "    psi: {warn: 0.2, drift: 0.4}\n"
          + "    js_distance: {drift: 0.15}\n"
          + "  featureThresholds:\n"
          + "    amount:\n"
          + "      psi: {warn: 0.5, drift: 1.0}\n";

  /** The built-in fraud spec as YAML with a drift section appended. */
  private static Path fraudWithDrift(Path dir, String drift) throws Exception {
    String yaml = UseCaseSpecs.toYaml(UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)) + drift;
    Path file = dir.resolve("fraud.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void yamlDriftSectionIsParsed(@TempDir Path dir) throws Exception {
    DriftSpec drift = UseCaseSpecs.fromFile(fraudWithDrift(dir, YAML_DRIFT)).drift();
    assertEquals("merchant_category", drift.segmentField());
    assertEquals(0.3, drift.datasetDriftShare());
    assertEquals(new DriftSpec.Levels(0.2, 0.4), drift.thresholds().get(DriftMetric.PSI));
    // A threshold without a warn level warns and drifts at the same value.
    assertEquals(new DriftSpec.Levels(0.15, 0.15), drift.thresholds().get(DriftMetric.JS_DISTANCE));
    assertEquals(
        new DriftSpec.Levels(0.5, 1.0),
        drift.featureThresholds().get("amount").get(DriftMetric.PSI));
  }

  @Test
  void builderJsonAndYamlRoundTripToTheSameSpec() {
    UseCaseSpec fraud = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
    UseCaseSpec withDrift =
        fraud.withDrift(
            DriftSpec.defaults()
                .withSegmentField("channel")
                .withThreshold(DriftMetric.WASSERSTEIN_NORMALIZED, 0.2, 0.3)
                .withFeatureThreshold("amount", DriftMetric.PSI, 0.3, 0.6));
    assertEquals(withDrift, UseCaseSpecs.parse(UseCaseSpecs.toJson(withDrift), "json"));
    assertTrue(UseCaseSpecs.toJson(withDrift).contains("\"featureThresholds\""));
    assertNull(fraud.drift());
  }

  @Test
  void unknownMetricFeatureOrSegmentFieldIsRejectedByName(@TempDir Path dir) throws Exception {
    IllegalArgumentException metric =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UseCaseSpecs.fromFile(
                    fraudWithDrift(dir, "drift:\n  thresholds:\n    psy: {drift: 0.2}\n")));
    assertTrue(metric.getMessage().contains("psy"), metric.getMessage());
    IllegalArgumentException feature =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)
                    .withDrift(
                        DriftSpec.defaults().withFeatureThreshold("amunt", DriftMetric.PSI, 1, 2)));
    assertTrue(feature.getMessage().contains("amunt"), feature.getMessage());
    IllegalArgumentException segment =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)
                    .withDrift(DriftSpec.defaults().withSegmentField("categry")));
    assertTrue(segment.getMessage().contains("categry"), segment.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DriftSpec.Levels(0.5, 0.2));
  }
}
