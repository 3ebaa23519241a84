package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A record that could not be processed, kept with everything needed to understand and replay it:
 * where it came from, the stage that refused it, its raw payload and the reason.
 */
public final class DeadLetter {

  public static final String SOURCE = "source";
  public static final String STAGE = "stage";
  public static final String RAW_PAYLOAD = "raw_payload";
  public static final String ERROR = "error";
  public static final String EVENT_TIME = "event_time";
  public static final String PROCESSING_TIME = "processing_time";

  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField(SOURCE)
          .addStringField(STAGE)
          .addStringField(RAW_PAYLOAD)
          .addStringField(ERROR)
          .addNullableField(EVENT_TIME, Schema.FieldType.DATETIME)
          .addDateTimeField(PROCESSING_TIME)
          .build();

  /** Stages that dead-letter records, in pipeline order. */
  public static final class Stage {
    /** The payload is not JSON, or a field has the wrong type or is missing. */
    public static final String PARSE = "parse";

    /** The payload parsed but breaks a rule of the use-case spec (range, allowed values). */
    public static final String VALIDATE = "validate";

    /**
     * An event with the same id was already let through within the de-duplication horizon (a record
     * delivered twice, by a producer's retry or a re-read partition).
     */
    public static final String DEDUPE = "dedupe";

    /** The feature vector could not be scored (no loadable model, features the model lacks). */
    public static final String SCORE = "score";

    private Stage() {}
  }

  private DeadLetter() {}

  public static Row of(
      String source,
      String stage,
      String rawPayload,
      String error,
      @Nullable Instant eventTime,
      Instant processingTime) {
    return Row.withSchema(SCHEMA)
        .withFieldValue(SOURCE, source)
        .withFieldValue(STAGE, stage)
        .withFieldValue(RAW_PAYLOAD, rawPayload)
        .withFieldValue(ERROR, error)
        .withFieldValue(EVENT_TIME, eventTime)
        .withFieldValue(PROCESSING_TIME, processingTime)
        .build();
  }
}
