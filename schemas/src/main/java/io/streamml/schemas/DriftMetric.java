package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema of one drift measurement: one column (a feature or the model score) in one event-time
 * window (and segment) against the training reference. Every metric is reported raw, whether or not
 * it crosses a threshold; a metric is null only when it cannot be computed (no present value in the
 * window or in the reference). {@link #VERDICT} is one of {@link Verdict}.
 */
public final class DriftMetric {

  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String SEGMENT = "segment";
  public static final String COLUMN = "column";
  public static final String COUNT = "count";
  public static final String MISSING = "missing";
  public static final String REFERENCE_COUNT = "reference_count";
  public static final String MEAN = "mean";
  public static final String REFERENCE_MEAN = "reference_mean";
  public static final String PSI = "psi";
  public static final String KS = "ks";
  public static final String KS_P_VALUE = "ks_p_value";
  public static final String JS_DISTANCE = "js_distance";
  public static final String WASSERSTEIN_NORMALIZED = "wasserstein_normalized";

  /** Largest change of one category's share: categorical fields only. */
  public static final String L_INFINITY = "l_infinity";

  public static final String MISSING_SHARE_CHANGE = "missing_share_change";
  public static final String VERDICT = "verdict";
  public static final String REASONS = "reasons";

  /** What the thresholds say of a measurement. */
  public enum Verdict {
    /** No threshold crossed. */
    OK,
    /** A warning threshold crossed, no drift threshold. */
    WARN,
    /** A drift threshold crossed. */
    DRIFT,
    /** Too few present values in the window to judge (metrics are still reported). */
    INSUFFICIENT_DATA
  }

  private static final Schema SCHEMA =
      Schema.builder()
          .addDateTimeField(WINDOW_START)
          .addDateTimeField(WINDOW_END)
          .addNullableField(SEGMENT, Schema.FieldType.STRING)
          .addStringField(COLUMN)
          .addInt64Field(COUNT)
          .addInt64Field(MISSING)
          .addInt64Field(REFERENCE_COUNT)
          .addNullableField(MEAN, Schema.FieldType.DOUBLE)
          .addNullableField(REFERENCE_MEAN, Schema.FieldType.DOUBLE)
          .addNullableField(PSI, Schema.FieldType.DOUBLE)
          .addNullableField(KS, Schema.FieldType.DOUBLE)
          .addNullableField(KS_P_VALUE, Schema.FieldType.DOUBLE)
          .addNullableField(JS_DISTANCE, Schema.FieldType.DOUBLE)
          .addNullableField(WASSERSTEIN_NORMALIZED, Schema.FieldType.DOUBLE)
          .addDoubleField(MISSING_SHARE_CHANGE)
          .addNullableField(L_INFINITY, Schema.FieldType.DOUBLE)
          .addStringField(VERDICT)
          .addStringField(REASONS)
          .build();

  private DriftMetric() {}

  public static Schema schema() {
    return SCHEMA;
  }
}
