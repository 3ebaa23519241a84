package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where raw events come from. Without {@code --input}, the built-in simulator generates them. */
public interface EventSourceOptions extends PipelineOptions {

  @Description(
      "Read events from JSON-lines files matching this pattern (any Beam filesystem, globs"
          + " allowed) instead of the simulator.")
  String getInput();

  void setInput(String value);
}
