package io.streamml.schemas;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * One partition's part of a bounded Kafka read: its records from {@code start_offset} (inclusive)
 * to {@code end_offset} (exclusive), as listed when the pipeline is built.
 */
public final class KafkaOffsetRange {

  public static final String TOPIC = "topic";
  public static final String PARTITION = "partition";
  public static final String START_OFFSET = "start_offset";
  public static final String END_OFFSET = "end_offset";

  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField(TOPIC)
          .addInt32Field(PARTITION)
          .addInt64Field(START_OFFSET)
          .addInt64Field(END_OFFSET)
          .build();

  private KafkaOffsetRange() {}

  public static Row of(String topic, int partition, long startOffset, long endOffset) {
    return Row.withSchema(SCHEMA).addValues(topic, partition, startOffset, endOffset).build();
  }
}
