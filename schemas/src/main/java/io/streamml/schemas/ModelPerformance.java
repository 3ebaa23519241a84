package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema of model quality measured on one event-time window of labelled scores (labels joined
 * to scores by event id, possibly arriving long after the scores). Quality metrics are null when
 * the window lacks what they need (e.g. AUC needs both classes). {@link #LABEL} rows, the input of
 * labels arriving apart from the events, use {@link #labelSchema()}.
 */
public final class ModelPerformance {

  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String LABELLED = "labelled";
  public static final String POSITIVES = "positives";
  public static final String AUC_ROC = "auc_roc";
  public static final String PRECISION = "precision_at_threshold";
  public static final String RECALL = "recall_at_threshold";
  public static final String LOG_LOSS = "log_loss";
  public static final String MEAN_SCORE = "mean_score";
  public static final String CALIBRATION_ERROR = "expected_calibration_error";
  public static final String THRESHOLD = "threshold";

  /** Fields of a label row: the event it labels, its label (1/0) and the event's time. */
  public static final String EVENT_ID = "event_id";

  public static final String LABEL = "label";
  public static final String EVENT_TIME = "event_time";

  private static final Schema SCHEMA =
      Schema.builder()
          .addDateTimeField(WINDOW_START)
          .addDateTimeField(WINDOW_END)
          .addInt64Field(LABELLED)
          .addInt64Field(POSITIVES)
          .addNullableField(AUC_ROC, Schema.FieldType.DOUBLE)
          .addNullableField(PRECISION, Schema.FieldType.DOUBLE)
          .addNullableField(RECALL, Schema.FieldType.DOUBLE)
          .addNullableField(LOG_LOSS, Schema.FieldType.DOUBLE)
          .addNullableField(MEAN_SCORE, Schema.FieldType.DOUBLE)
          .addNullableField(CALIBRATION_ERROR, Schema.FieldType.DOUBLE)
          .addDoubleField(THRESHOLD)
          .build();

  private static final Schema LABEL_SCHEMA =
      Schema.builder()
          .addStringField(EVENT_ID)
          .addDoubleField(LABEL)
          .addDateTimeField(EVENT_TIME)
          .build();

  private ModelPerformance() {}

  public static Schema schema() {
    return SCHEMA;
  }

  public static Schema labelSchema() {
    return LABEL_SCHEMA;
  }
}
