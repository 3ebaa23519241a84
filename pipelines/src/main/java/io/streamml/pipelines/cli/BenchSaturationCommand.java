package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchRepeats;
import io.streamml.pipelines.BenchSaturationPipeline;
import java.io.PrintStream;

final class BenchSaturationCommand implements Command<BenchSaturationPipeline.Options> {

  @Override
  public String name() {
    return "bench-saturation";
  }

  @Override
  public String summary() {
    return "events/s the streaming scoring job sustains, draining a Kafka backlog, against a plain"
        + " KafkaConsumer on the same topic";
  }

  @Override
  public Class<BenchSaturationPipeline.Options> optionsClass() {
    return BenchSaturationPipeline.Options.class;
  }

  @Override
  public void run(BenchSaturationPipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.runMeasured(
        name(),
        options,
        BenchFlags.of(options),
        out,
        () -> BenchSaturationPipeline.run(options, out));
  }
}
