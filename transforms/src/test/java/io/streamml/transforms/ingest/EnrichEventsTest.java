package io.streamml.transforms.ingest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.streamml.schemas.EnrichmentSpec;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.transforms.features.WindowedFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.SchemaCoder;
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
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EnrichEventsTest {

  private static final EnrichmentSpec MERCHANT_RISK =
      new EnrichmentSpec(
          "merchant_risk",
          "merchant",
          "merchant_id",
          List.of(
              FieldSpec.of("risk", FieldSpec.Type.DOUBLE),
              FieldSpec.of("segment", FieldSpec.Type.STRING)),
          Map.of("risk", 0.5),
          null,
          60L);

  private static final UseCaseSpec SPEC =
      UseCaseSpec.builder("payments")
          .idField("id")
          .keyField("card")
          .eventTimeField("time")
          .field(FieldSpec.of("id", FieldSpec.Type.STRING))
          .field(FieldSpec.of("card", FieldSpec.Type.STRING))
          .field(FieldSpec.of("merchant", FieldSpec.Type.STRING))
          .field(FieldSpec.of("time", FieldSpec.Type.TIMESTAMP))
          .enrichment(MERCHANT_RISK)
          .features(
              FeatureSetSpec.perEvent(
                  0,
                  FeatureDefinition.of("risk", Aggregation.VALUE, "risk"),
                  FeatureDefinition.of("max_risk_1h", Aggregation.MAX, "risk")
                      .withWindowSeconds(3600)))
          .build();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static Row event(String id, String merchant, long seconds) {
    return Row.withSchema(SPEC.eventSchema())
        .addValues(id, "c1", merchant, Instant.parse("2026-01-01T00:00:00Z").plus(seconds * 1000))
        .build();
  }

  private String referenceFile() throws Exception {
    Path file = folder.newFile("merchants.jsonl").toPath();
    Files.writeString(
        file,
        "{\"merchant_id\": \"m-1\", \"risk\": 0.9, \"segment\": \"travel\"}\n"
            + "not json\n"
            + "{\"merchant_id\": \"m-2\", \"risk\": 0.1, \"segment\": \"grocery\"}\n");
    return file.toString();
  }

  private PCollection<Row> events() {
    return pipeline.apply(
        Create.of(event("a", "m-1", 0), event("b", "m-2", 10), event("c", "m-404", 20))
            .withCoder(SchemaCoder.of(SPEC.eventSchema())));
  }

  @Test
  public void matchedKeysGetTheTableAndUnmatchedKeysTheDefaults() throws Exception {
    PCollection<String> enriched =
        events()
            .apply(EnrichEvents.of(SPEC).withReferencePath("merchant_risk", referenceFile()))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        r ->
                            r.getString("id")
                                + " "
                                + r.getDouble("risk")
                                + " "
                                + r.getString("segment")));

    PAssert.that(enriched).containsInAnyOrder("a 0.9 travel", "b 0.1 grocery", "c 0.5 null");
    pipeline.run();
  }

  @Test
  public void featuresCanUseEnrichedFields() throws Exception {
    PCollection<String> vectors =
        events()
            .apply(EnrichEvents.of(SPEC).withReferencePath("merchant_risk", referenceFile()))
            .apply(WindowedFeatures.of(SPEC))
            .output()
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        v -> {
                          Row f = v.getRow(FeatureVector.FEATURES);
                          return v.getString(FeatureVector.EVENT_ID)
                              + " "
                              + f.getDouble("risk")
                              + " "
                              + f.getDouble("max_risk_1h");
                        }));

    PAssert.that(vectors).containsInAnyOrder("a 0.9 0.9", "b 0.1 0.9", "c 0.5 0.9");
    pipeline.run();
  }

  @Test
  public void enrichmentWithoutAReferenceFileIsRefusedBeforeRunning() {
    // A pipeline of its own: the refused step leaves its graph unfinished.
    PCollection<Row> events =
        org.apache.beam.sdk.Pipeline.create()
            .apply(Create.of(event("a", "m-1", 0)).withCoder(SchemaCoder.of(SPEC.eventSchema())));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> events.apply(EnrichEvents.of(SPEC)));
    assertEquals("Enrichment 'merchant_risk' has no reference file: give its path", e.getMessage());
  }
}
