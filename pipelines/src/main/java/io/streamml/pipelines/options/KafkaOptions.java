package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Reading events from Kafka: set {@code --bootstrapServers} and {@code --inputTopic}. See
 * docs/kafka.md for delivery, watermarks and restarts.
 */
public interface KafkaOptions extends KafkaClientOptions {

  @Description("Kafka brokers to read events from (host:port,...); with --inputTopic.")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Kafka topic(s) to read events from, comma-separated; needs --bootstrapServers.")
  String getInputTopic();

  void setInputTopic(String value);

  @Description(
      "Kafka consumer group. With it, offsets are committed as the runner finalizes checkpoints"
          + " (auto-commit off), so a restart with the same group resumes; without it nothing is"
          + " committed.")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description(
      "Where to start when the group has no committed offsets: earliest or latest. Ignored with"
          + " --startTimestamp.")
  @Default.String("earliest")
  String getStartOffset();

  void setStartOffset(String value);

  @Description("Start at the first record with this Kafka timestamp or later (ISO-8601).")
  String getStartTimestamp();

  void setStartTimestamp(String value);

  @Description(
      "Stop before the first record with this Kafka timestamp or later (ISO-8601): a bounded"
          + " read, e.g. to train on a time range. Each partition ends at its first offset at or"
          + " after this time when the job starts, or at its end offset if it has none.")
  String getStopTimestamp();

  void setStopTimestamp(String value);

  @Description(
      "Read what the topics hold now (each partition up to its end offset when the job starts,"
          + " from the group's committed offsets) and stop: a bounded read.")
  @Default.Boolean(false)
  Boolean getStopAtEnd();

  void setStopAtEnd(Boolean value);

  @Description(
      "Stop after reading this many records: a bounded read. Beam splits the count evenly over"
          + " readers (one per 10,000 records), so above 10,000 on a multi-partition topic use"
          + " --stopAtEnd instead.")
  Long getMaxRecords();

  void setMaxRecords(Long value);

  @Description(
      "Event time from the payload's event-time field (payload) or the record's Kafka timestamp"
          + " (kafkaTimestamp).")
  @Default.String("payload")
  String getEventTimeFrom();

  void setEventTimeFrom(String value);

  @Description("How far a partition's watermark trails the latest event time it has seen.")
  @Default.Long(0)
  Long getMaxOutOfOrdernessSeconds();

  void setMaxOutOfOrdernessSeconds(Long value);

  @Description(
      "A caught-up partition with no record for this long stops holding the watermark back: its"
          + " watermark moves to now minus --maxOutOfOrdernessSeconds.")
  @Default.Long(10)
  Long getIdleTimeoutSeconds();

  void setIdleTimeoutSeconds(Long value);

  @Description(
      "Before the job starts, check the brokers answer and the topics exist: this many tries"
          + " (with --kafkaConnectTimeoutSeconds each), then one clear error.")
  @Default.Integer(3)
  Integer getKafkaConnectAttempts();

  void setKafkaConnectAttempts(Integer value);

  @Description("How long each of --kafkaConnectAttempts waits for the brokers.")
  @Default.Integer(10)
  Integer getKafkaConnectTimeoutSeconds();

  void setKafkaConnectTimeoutSeconds(Integer value);
}
