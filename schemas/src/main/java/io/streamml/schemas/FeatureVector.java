package io.streamml.schemas;

import io.streamml.schemas.features.FeatureSetSpec;
import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema of feature vectors: the entity key, the id of the event they were computed at
 * (per-event shape; null per window), the feature time, the label if known (1/0 for booleans), and
 * the features, one nullable double per feature in spec order (null = missing).
 */
public final class FeatureVector {

  public static final String KEY = "key";
  public static final String EVENT_ID = "event_id";
  public static final String FEATURE_TIME = "feature_time";
  public static final String LABEL = "label";
  public static final String FEATURES = "features";

  private FeatureVector() {}

  /** The schema of the {@code features} sub-row: one nullable DOUBLE per feature. */
  public static Schema featuresSchema(FeatureSetSpec features) {
    Schema.Builder builder = Schema.builder();
    for (String name : features.names()) {
      builder.addNullableField(name, Schema.FieldType.DOUBLE);
    }
    return builder.build();
  }

  public static Schema schema(FeatureSetSpec features) {
    return Schema.builder()
        .addStringField(KEY)
        .addNullableField(EVENT_ID, Schema.FieldType.STRING)
        .addDateTimeField(FEATURE_TIME)
        .addNullableField(LABEL, Schema.FieldType.DOUBLE)
        .addRowField(FEATURES, featuresSchema(features))
        .build();
  }

  /** The feature vector schema of a use case; fails if it declares no features. */
  public static Schema schema(UseCaseSpec spec) {
    if (spec.features() == null) {
      throw new IllegalArgumentException("Use case '" + spec.name() + "' declares no features");
    }
    return schema(spec.features());
  }
}
