package io.streamml.transforms.features;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import java.io.Serializable;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** Builds FeatureVector rows of one use case. */
final class FeatureVectorRows implements Serializable {

  private final UseCaseSpec spec;
  private final Schema schema;
  private final Schema featuresSchema;

  FeatureVectorRows(UseCaseSpec spec) {
    this.spec = spec;
    this.schema = FeatureVector.schema(spec);
    this.featuresSchema = FeatureVector.featuresSchema(spec.features());
  }

  Schema schema() {
    return schema;
  }

  Schema featuresSchema() {
    return featuresSchema;
  }

  /** The vector of {@code features} at {@code time}, labelled from {@code labelSource}. */
  Row of(
      String key, @Nullable String eventId, Instant time, @Nullable Row labelSource, Row features) {
    return Row.withSchema(schema)
        .withFieldValue(FeatureVector.KEY, key)
        .withFieldValue(FeatureVector.EVENT_ID, eventId)
        .withFieldValue(FeatureVector.FEATURE_TIME, time)
        .withFieldValue(FeatureVector.LABEL, label(labelSource))
        .withFieldValue(FeatureVector.FEATURES, features)
        .build();
  }

  /**
   * A window's vector at its end {@code time}: labelled by, and carrying the id of, its latest
   * event, so a label that arrives later for that event (a failure seen hours after the reading)
   * joins to the window's score by id, as a per-event vector's does.
   */
  Row ofWindow(String key, Instant time, Row latestEvent, Row features) {
    Object id = latestEvent.getValue(spec.idField());
    return of(key, id == null ? null : String.valueOf(id), time, latestEvent, features);
  }

  private @Nullable Double label(@Nullable Row event) {
    if (event == null || spec.labelField() == null) {
      return null;
    }
    Object value = event.getValue(spec.labelField());
    if (value instanceof Boolean) {
      return (Boolean) value ? 1.0 : 0.0;
    }
    return value == null ? null : ((Number) value).doubleValue();
  }
}
