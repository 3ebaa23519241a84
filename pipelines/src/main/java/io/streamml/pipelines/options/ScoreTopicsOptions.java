package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Kafka topics for what scoring produces, written through {@link KafkaSinkOptions}'s brokers and
 * delivery; an output without a topic is not written to Kafka.
 */
public interface ScoreTopicsOptions extends PipelineOptions {

  @Description("Kafka topic for scores (JSON, keyed by entity key).")
  String getOutputTopicScores();

  void setOutputTopicScores(String value);

  @Description("Kafka topic for model and rule alerts (JSON, keyed by entity key).")
  String getOutputTopicAlerts();

  void setOutputTopicAlerts(String value);
}
