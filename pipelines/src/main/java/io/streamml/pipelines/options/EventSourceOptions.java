package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Description;

/**
 * Where raw events come from: {@code --input} files, Kafka ({@code --bootstrapServers} and {@code
 * --inputTopic}, see {@link KafkaOptions}) or a Parquet archive ({@code --inputArchive}); with none
 * of them, the built-in simulator generates them. {@link LimitOptions} bound what one record may
 * cost.
 */
public interface EventSourceOptions extends KafkaOptions, LimitOptions {

  @Description(
      "Read events from JSON-lines files matching this pattern (any Beam filesystem, globs"
          + " allowed) instead of the simulator.")
  String getInput();

  void setInput(String value);

  @Description(
      "Read events from a raw-event archive written with --archive=PATH: PATH/events (Parquet under"
          + " dt=YYYY-MM-DD/hour=HH folders), or one folder in it such as PATH/events/dt=2026-01-01.")
  String getInputArchive();

  void setInputArchive(String value);
}
