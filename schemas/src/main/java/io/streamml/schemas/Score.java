package io.streamml.schemas;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The schema of model scores: the identity of the feature vector scored (key, event id, feature
 * time), the score, the model version that produced it and the alert threshold it was judged
 * against, the label if known, and, only for scores at or above the threshold, the features that
 * pushed the score up most ({@link Reason} rows, largest contribution first).
 */
public final class Score {

  public static final String KEY = FeatureVector.KEY;
  public static final String EVENT_ID = FeatureVector.EVENT_ID;
  public static final String FEATURE_TIME = FeatureVector.FEATURE_TIME;
  public static final String SCORE = "score";
  public static final String MODEL_VERSION = "model_version";
  public static final String THRESHOLD = "threshold";
  public static final String LABEL = FeatureVector.LABEL;
  public static final String CONTRIBUTIONS = "contributions";

  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField(KEY)
          .addNullableField(EVENT_ID, Schema.FieldType.STRING)
          .addDateTimeField(FEATURE_TIME)
          .addDoubleField(SCORE)
          .addStringField(MODEL_VERSION)
          .addDoubleField(THRESHOLD)
          .addNullableField(LABEL, Schema.FieldType.DOUBLE)
          .addNullableField(
              CONTRIBUTIONS, Schema.FieldType.array(Schema.FieldType.row(Reason.SCHEMA)))
          .build();

  private Score() {}

  public static Row of(
      String key,
      @Nullable String eventId,
      Instant featureTime,
      double score,
      String modelVersion,
      double threshold,
      @Nullable Double label,
      @Nullable List<Row> contributions) {
    // Positional and attached: one Score per scored row, and the parameters' types are the
    // schema's, so build()'s per-row value checks (a profiled cost on Beam 2.62) are not needed.
    return Row.withSchema(SCHEMA)
        .attachValues(
            key, eventId, featureTime, score, modelVersion, threshold, label, contributions);
  }
}
