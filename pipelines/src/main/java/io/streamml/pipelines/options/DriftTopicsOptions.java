package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Kafka topics for what drift measurement produces, written through {@link KafkaSinkOptions}'s
 * brokers and delivery; an output without a topic is not written to Kafka.
 */
public interface DriftTopicsOptions extends PipelineOptions {

  @Description("Kafka topic for drift metrics (JSON, keyed by column, so a column stays in order).")
  String getOutputTopicDriftMetrics();

  void setOutputTopicDriftMetrics(String value);

  @Description("Kafka topic for retrain triggers (JSON, keyed by reason).")
  String getOutputTopicRetrainTriggers();

  void setOutputTopicRetrainTriggers(String value);
}
