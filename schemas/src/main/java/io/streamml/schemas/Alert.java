package io.streamml.schemas;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The schema of alerts: the identity of the feature vector that raised it (key, event id, feature
 * time), what raised it ({@link Kind#MODEL}: a score at or above the threshold, with the model
 * version; {@link Kind#RULE}: a feature beyond a spec rule's limit, with the rule's name), the
 * value that crossed (the score or the feature's value), the threshold or limit it crossed, and the
 * reasons (top feature contributions for a model alert, the rule's feature for a rule alert).
 */
public final class Alert {

  public static final String KEY = FeatureVector.KEY;
  public static final String EVENT_ID = FeatureVector.EVENT_ID;
  public static final String FEATURE_TIME = FeatureVector.FEATURE_TIME;
  public static final String KIND = "kind";
  public static final String SOURCE = "source";
  public static final String VALUE = "value";
  public static final String THRESHOLD = "threshold";
  public static final String REASONS = "reasons";

  /** What raised an alert. */
  public static final class Kind {
    public static final String MODEL = "model";
    public static final String RULE = "rule";

    private Kind() {}
  }

  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField(KEY)
          .addNullableField(EVENT_ID, Schema.FieldType.STRING)
          .addDateTimeField(FEATURE_TIME)
          .addStringField(KIND)
          .addStringField(SOURCE)
          .addDoubleField(VALUE)
          .addDoubleField(THRESHOLD)
          .addArrayField(REASONS, Schema.FieldType.row(Reason.SCHEMA))
          .build();

  private Alert() {}

  /**
   * An alert; {@code source} is the model version for {@link Kind#MODEL}, the rule name for {@link
   * Kind#RULE}.
   */
  public static Row of(
      String key,
      @Nullable String eventId,
      Instant featureTime,
      String kind,
      String source,
      double value,
      double threshold,
      List<Row> reasons) {
    return Row.withSchema(SCHEMA)
        .withFieldValue(KEY, key)
        .withFieldValue(EVENT_ID, eventId)
        .withFieldValue(FEATURE_TIME, featureTime)
        .withFieldValue(KIND, kind)
        .withFieldValue(SOURCE, source)
        .withFieldValue(VALUE, value)
        .withFieldValue(THRESHOLD, threshold)
        .withFieldValue(REASONS, reasons)
        .build();
  }
}
