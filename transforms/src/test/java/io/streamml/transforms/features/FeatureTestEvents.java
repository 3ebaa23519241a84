package io.streamml.transforms.features;

import io.streamml.schemas.FieldSpec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.features.FeatureSetSpec;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/** A tiny payments use case for feature tests: id, card, amount, country, channel, time, label. */
final class FeatureTestEvents {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private FeatureTestEvents() {}

  static UseCaseSpec spec(FeatureSetSpec features) {
    return UseCaseSpec.builder("payments")
        .idField("id")
        .keyField("card")
        .eventTimeField("time")
        .labelField("fraud")
        .field(FieldSpec.of("id", FieldSpec.Type.STRING))
        .field(FieldSpec.of("card", FieldSpec.Type.STRING))
        .field(FieldSpec.of("amount", FieldSpec.Type.DOUBLE))
        .field(FieldSpec.of("country", FieldSpec.Type.STRING))
        .field(FieldSpec.of("channel", FieldSpec.Type.STRING))
        .field(FieldSpec.of("time", FieldSpec.Type.TIMESTAMP))
        .field(FieldSpec.of("fraud", FieldSpec.Type.BOOLEAN).nullable())
        .features(features)
        .build();
  }

  static Row event(
      UseCaseSpec spec,
      String id,
      String card,
      double amount,
      String country,
      String channel,
      long secondsAfterT0) {
    return Row.withSchema(spec.eventSchema())
        .withFieldValue("id", id)
        .withFieldValue("card", card)
        .withFieldValue("amount", amount)
        .withFieldValue("country", country)
        .withFieldValue("channel", channel)
        .withFieldValue("time", T0.plus(secondsAfterT0 * 1000))
        .withFieldValue("fraud", amount > 500)
        .build();
  }
}
