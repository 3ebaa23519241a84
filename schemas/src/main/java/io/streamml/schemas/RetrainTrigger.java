package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema of a request to retrain: when (the end of the window that decided it), for which
 * segment (null for all data), why ({@link Reason}) and the evidence in words.
 */
public final class RetrainTrigger {

  public static final String TRIGGER_TIME = "trigger_time";
  public static final String SEGMENT = "segment";
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";
  public static final String WINDOW_START = "window_start";
  public static final String DRIFTED_SHARE = "drifted_share";

  /** Why retraining is asked for. */
  public enum Reason {
    /** Enough input features drifted for long enough. */
    DATA_DRIFT,
    /** The model's score distribution drifted for long enough. */
    PREDICTION_DRIFT,
    /** Measured model quality dropped (needs delayed labels). */
    PERFORMANCE_DROP,
    /** No retraining for longer than the schedule allows. */
    SCHEDULE
  }

  private static final Schema SCHEMA =
      Schema.builder()
          .addDateTimeField(TRIGGER_TIME)
          .addNullableField(SEGMENT, Schema.FieldType.STRING)
          .addStringField(REASON)
          .addStringField(DETAIL)
          .addDateTimeField(WINDOW_START)
          .addDoubleField(DRIFTED_SHARE)
          .build();

  private RetrainTrigger() {}

  public static Schema schema() {
    return SCHEMA;
  }
}
