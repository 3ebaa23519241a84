package io.streamml.transforms.alerts;

import io.streamml.schemas.Alert;
import io.streamml.schemas.AlertRule;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.Reason;
import io.streamml.schemas.Score;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class AlertsTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void scoresAtOrAboveTheirThresholdAlertWithTheirContributions() {
    List<Row> reasons = List.of(Reason.of("amount", 900.0, 1.5), Reason.of("is_online", 1.0, 0.4));
    List<Row> scores =
        List.of(
            Score.of("c1", "e1", T, 0.91, "v0002", 0.8, 1.0, reasons),
            Score.of("c2", "e2", T, 0.8, "v0002", 0.8, null, List.of()),
            Score.of("c3", "e3", T, 0.79, "v0002", 0.8, 0.0, null));

    PCollection<Row> alerts =
        pipeline.apply(Create.of(scores).withRowSchema(Score.SCHEMA)).apply(AlertOnScores.create());

    PAssert.that(alerts)
        .containsInAnyOrder(
            Alert.of("c1", "e1", T, Alert.Kind.MODEL, "v0002", 0.91, 0.8, reasons),
            Alert.of("c2", "e2", T, Alert.Kind.MODEL, "v0002", 0.8, 0.8, List.of()));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void vectorsBeyondARuleLimitAlertNamingTheRuleAndFeature() {
    UseCaseSpec spec =
        UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD)
            .withAlertRules(
                List.of(
                    AlertRule.above("velocity", "tx_count_1m", 5),
                    AlertRule.below("tiny", "amount", 0.5)));
    Schema schema = FeatureVector.schema(spec);
    Schema features = FeatureVector.featuresSchema(spec.features());

    PCollection<Row> alerts =
        pipeline
            .apply(
                Create.of(
                        vector(schema, features, "e1", 6.0, 100.0),
                        vector(schema, features, "e2", 5.0, 0.1),
                        vector(schema, features, "e3", null, null),
                        vector(schema, features, "e4", 9.0, 0.2))
                    .withRowSchema(schema))
            .apply(AlertOnRules.of(spec));

    PAssert.that(alerts)
        .containsInAnyOrder(
            Alert.of(
                "c",
                "e1",
                T,
                Alert.Kind.RULE,
                "velocity",
                6.0,
                5.0,
                List.of(Reason.of("tx_count_1m", 6.0, null))),
            Alert.of(
                "c",
                "e2",
                T,
                Alert.Kind.RULE,
                "tiny",
                0.1,
                0.5,
                List.of(Reason.of("amount", 0.1, null))),
            Alert.of(
                "c",
                "e4",
                T,
                Alert.Kind.RULE,
                "velocity",
                9.0,
                5.0,
                List.of(Reason.of("tx_count_1m", 9.0, null))),
            Alert.of(
                "c",
                "e4",
                T,
                Alert.Kind.RULE,
                "tiny",
                0.2,
                0.5,
                List.of(Reason.of("amount", 0.2, null))));
    pipeline.run().waitUntilFinish();
  }

  private static Row vector(
      Schema schema, Schema features, String id, Double txCount1m, Double amount) {
    Row.FieldValueBuilder values = Row.withSchema(features).withFieldValue("amount", amount);
    return Row.withSchema(schema)
        .withFieldValue(FeatureVector.KEY, "c")
        .withFieldValue(FeatureVector.EVENT_ID, id)
        .withFieldValue(FeatureVector.FEATURE_TIME, T)
        .withFieldValue(
            FeatureVector.FEATURES, values.withFieldValue("tx_count_1m", txCount1m).build())
        .build();
  }
}
