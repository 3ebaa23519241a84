package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Why a score or an alert is what it is, one feature at a time: the feature's name, its value, and
 * (for model scores) its contribution to the score in log-odds (XGBoost's SHAP values; the
 * contributions and the model's bias add up to the raw margin).
 */
public final class Reason {

  public static final String FEATURE = "feature";
  public static final String VALUE = "value";
  public static final String CONTRIBUTION = "contribution";

  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField(FEATURE)
          .addNullableField(VALUE, Schema.FieldType.DOUBLE)
          .addNullableField(CONTRIBUTION, Schema.FieldType.DOUBLE)
          .build();

  private Reason() {}

  public static Row of(String feature, @Nullable Double value, @Nullable Double contribution) {
    return Row.withSchema(SCHEMA).addValues(feature, value, contribution).build();
  }
}
