package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Writing results to Kafka as JSON values keyed by the entity key, one topic per output; an output
 * without a topic is not written to Kafka. See docs/kafka.md for delivery per runner.
 */
public interface KafkaSinkOptions extends KafkaClientOptions {

  @Description("Kafka brokers to write outputs to (host:port,...); default: --bootstrapServers.")
  String getOutputBootstrapServers();

  void setOutputBootstrapServers(String value);

  @Description("Kafka topic for feature vectors (keyed by entity key).")
  String getOutputTopicFeatures();

  void setOutputTopicFeatures(String value);

  @Description("Kafka topic for dead letters (unkeyed), with raw payload, stage and reason.")
  String getOutputTopicDeadLetters();

  void setOutputTopicDeadLetters(String value);

  @Description(
      "Write Kafka outputs exactly once (Kafka transactions, KafkaIO's EOS sink). Needs a runner"
          + " that supports it (Flink with --checkpointingInterval, Dataflow); otherwise writes are"
          + " at-least-once.")
  @Default.Boolean(false)
  Boolean getOutputExactlyOnce();

  void setOutputExactlyOnce(Boolean value);
}
