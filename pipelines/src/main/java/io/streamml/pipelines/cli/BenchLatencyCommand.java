package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchLatencyPipeline;
import io.streamml.pipelines.BenchRepeats;
import java.io.PrintStream;

final class BenchLatencyCommand implements Command<BenchLatencyPipeline.Options> {

  @Override
  public String name() {
    return "bench-latency";
  }

  @Override
  public String summary() {
    return "latency p50/p99 from event appended to score appended, at a fixed offered rate"
        + " through Kafka";
  }

  @Override
  public Class<BenchLatencyPipeline.Options> optionsClass() {
    return BenchLatencyPipeline.Options.class;
  }

  @Override
  public void run(BenchLatencyPipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.runMeasured(
        name(), options, BenchFlags.of(options), out, () -> BenchLatencyPipeline.run(options, out));
  }
}
