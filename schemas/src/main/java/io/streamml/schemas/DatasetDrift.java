package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema of the dataset-level drift verdict of one event-time window (and segment): how many
 * feature columns (not the score) were judged, how many drifted, their share, the share at which
 * the window counts as drifted, and whether the score drifted. {@link #VERDICT} is {@code DRIFT} or
 * {@code OK}.
 */
public final class DatasetDrift {

  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String SEGMENT = "segment";
  public static final String FEATURES = "features";
  public static final String DRIFTED_FEATURES = "drifted_features";
  public static final String DRIFTED_SHARE = "drifted_share";
  public static final String DRIFT_SHARE_THRESHOLD = "drift_share_threshold";
  public static final String SCORE_DRIFTED = "score_drifted";
  public static final String VERDICT = "verdict";

  private static final Schema SCHEMA =
      Schema.builder()
          .addDateTimeField(WINDOW_START)
          .addDateTimeField(WINDOW_END)
          .addNullableField(SEGMENT, Schema.FieldType.STRING)
          .addInt32Field(FEATURES)
          .addInt32Field(DRIFTED_FEATURES)
          .addDoubleField(DRIFTED_SHARE)
          .addDoubleField(DRIFT_SHARE_THRESHOLD)
          .addBooleanField(SCORE_DRIFTED)
          .addStringField(VERDICT)
          .build();

  private DatasetDrift() {}

  public static Schema schema() {
    return SCHEMA;
  }
}
