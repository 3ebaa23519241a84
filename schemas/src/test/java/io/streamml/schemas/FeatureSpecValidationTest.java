package io.streamml.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamml.schemas.features.Aggregation;
import io.streamml.schemas.features.FeatureDefinition;
import io.streamml.schemas.features.FeatureFilter;
import io.streamml.schemas.features.FeatureSetSpec;
import io.streamml.schemas.features.WindowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A feature spec that cannot be computed is refused when the spec loads, naming the problem. */
class FeatureSpecValidationTest {

  private static UseCaseSpec.Builder payments() {
    return UseCaseSpec.builder("payments")
        .idField("id")
        .keyField("card")
        .eventTimeField("ts")
        .field(FieldSpec.of("id", FieldSpec.Type.STRING))
        .field(FieldSpec.of("card", FieldSpec.Type.STRING))
        .field(FieldSpec.of("country", FieldSpec.Type.STRING))
        .field(FieldSpec.of("amount", FieldSpec.Type.DOUBLE))
        .field(FieldSpec.of("ts", FieldSpec.Type.TIMESTAMP));
  }

  private static String refusal(Executable build) {
    return assertThrows(IllegalArgumentException.class, build).getMessage();
  }

  @Test
  void aFeatureReadingAnUnknownFieldIsRefused() {
    assertEquals(
        "Use-case spec 'payments' feature 'spend' reads unknown field 'amout'",
        refusal(
            () ->
                payments()
                    .features(
                        FeatureSetSpec.perEvent(
                            60,
                            FeatureDefinition.of("spend", Aggregation.SUM, "amout")
                                .withWindowSeconds(3600)))
                    .build()));
  }

  @Test
  void aNumericAggregationOfATextFieldIsRefused() {
    assertEquals(
        "Use-case spec 'payments' feature 'mean_country' needs a numeric field, but 'country' is"
            + " STRING",
        refusal(
            () ->
                payments()
                    .features(
                        FeatureSetSpec.perEvent(
                            60,
                            FeatureDefinition.of("mean_country", Aggregation.MEAN, "country")
                                .withWindowSeconds(3600)))
                    .build()));
  }

  @Test
  void aFilterOnAnUnknownFieldIsRefused() {
    String message =
        refusal(
            () ->
                payments()
                    .features(
                        FeatureSetSpec.perEvent(
                            60,
                            FeatureDefinition.indicator(
                                "is_online", FeatureFilter.fieldEquals("chanel", "online"))))
                    .build());
    assertEquals(
        "Use-case spec 'payments' feature 'is_online' filters on unknown field 'chanel'", message);
  }

  @Test
  void aTrailingFeatureWithoutItsWindowIsRefused() {
    assertEquals(
        "Feature 'count' needs windowSeconds (its trailing window)",
        refusal(
            () ->
                FeatureSetSpec.perEvent(
                    60, FeatureDefinition.of("count", Aggregation.COUNT, null))));
  }

  @Test
  void aPerWindowSetWithoutItsWindowIsRefused() {
    assertEquals(
        "PER_WINDOW features need a window",
        refusal(
            () ->
                FeatureSetSpec.perWindow(
                    null, FeatureDefinition.of("count", Aggregation.COUNT, null))));
  }

  @Test
  void aRatioOfAFeatureDeclaredAfterItIsRefused() {
    assertEquals(
        "Ratio 'share' uses 'count_1m', not a feature declared before it",
        refusal(
            () ->
                FeatureSetSpec.perEvent(
                    60,
                    FeatureDefinition.of("count_1h", Aggregation.COUNT, null)
                        .withWindowSeconds(3600),
                    FeatureDefinition.ratio("share", "count_1m", "count_1h"),
                    FeatureDefinition.of("count_1m", Aggregation.COUNT, null)
                        .withWindowSeconds(60))));
  }

  @Test
  void aFeatureDeclaredTwiceIsRefused() {
    FeatureDefinition count = FeatureDefinition.of("count", Aggregation.COUNT, null);
    assertEquals(
        "Feature 'count' is declared twice",
        refusal(() -> FeatureSetSpec.perWindow(WindowSpec.tumbling(60), count, count)));
  }

  @Test
  void aDecayedCountWithoutAPositiveHalfLifeIsRefused() {
    assertEquals(
        "Feature 'trend': DECAYED_COUNT needs halfLifeSeconds > 0",
        refusal(
            () ->
                FeatureDefinition.of("trend", Aggregation.DECAYED_COUNT, null)
                    .withHalfLifeSeconds(0)));
  }

  @Test
  void aSpecWithFeaturesBuiltInJavaEqualsTheSameSpecReadFromJson(@TempDir Path dir)
      throws Exception {
    UseCaseSpec built =
        payments()
            .features(
                FeatureSetSpec.perEvent(
                    120,
                    FeatureDefinition.of("count_1m", Aggregation.COUNT, null).withWindowSeconds(60),
                    FeatureDefinition.of("spend_1h", Aggregation.SUM, "amount")
                        .withWindowSeconds(3600),
                    FeatureDefinition.ratio("burst", "count_1m", "spend_1h"),
                    FeatureDefinition.of("countries_1d", Aggregation.DISTINCT_COUNT, "country")
                        .withWindowSeconds(86_400)))
            .build();
    Path file = dir.resolve("payments.json");
    Files.writeString(file, UseCaseSpecs.toJson(built));

    UseCaseSpec read = UseCaseSpecs.fromFile(file);

    assertEquals(built, read);
    assertEquals(
        java.util.List.of("count_1m", "spend_1h", "burst", "countries_1d"),
        read.features().names());
  }
}
