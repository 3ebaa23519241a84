package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;

/**
 * The schema of one column's profile in one event-time window (and segment): counts on the
 * reference bin edges, missing count, summary statistics and a serialized KLL quantile sketch
 * (Apache DataSketches), so profiles can be stored, merged later and compared with the reference.
 */
public final class WindowProfile {

  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String SEGMENT = "segment";
  public static final String COLUMN = "column";
  public static final String COUNT = "count";
  public static final String MISSING = "missing";
  public static final String MEAN = "mean";
  public static final String STD_DEV = "std_dev";
  public static final String MIN = "min";
  public static final String MAX = "max";
  public static final String BIN_COUNTS = "bin_counts";
  public static final String QUANTILE_SKETCH = "quantile_sketch";

  private static final Schema SCHEMA =
      Schema.builder()
          .addDateTimeField(WINDOW_START)
          .addDateTimeField(WINDOW_END)
          .addNullableField(SEGMENT, Schema.FieldType.STRING)
          .addStringField(COLUMN)
          .addInt64Field(COUNT)
          .addInt64Field(MISSING)
          .addNullableField(MEAN, Schema.FieldType.DOUBLE)
          .addNullableField(STD_DEV, Schema.FieldType.DOUBLE)
          .addNullableField(MIN, Schema.FieldType.DOUBLE)
          .addNullableField(MAX, Schema.FieldType.DOUBLE)
          .addArrayField(BIN_COUNTS, Schema.FieldType.INT64)
          .addByteArrayField(QUANTILE_SKETCH)
          .build();

  private WindowProfile() {}

  public static Schema schema() {
    return SCHEMA;
  }
}
