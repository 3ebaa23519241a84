package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchKafkaPipeline;
import io.streamml.pipelines.BenchRepeats;
import java.io.PrintStream;

final class BenchKafkaCommand implements Command<BenchKafkaPipeline.Options> {

  @Override
  public String name() {
    return "bench-kafka";
  }

  @Override
  public String summary() {
    return "records/s topic -> features (-> scores) -> topic against a plain KafkaConsumer on the"
        + " same topic";
  }

  @Override
  public Class<BenchKafkaPipeline.Options> optionsClass() {
    return BenchKafkaPipeline.Options.class;
  }

  @Override
  public void run(BenchKafkaPipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.run(
        name(), options, BenchFlags.of(options), out, () -> BenchKafkaPipeline.run(options, out));
  }
}
