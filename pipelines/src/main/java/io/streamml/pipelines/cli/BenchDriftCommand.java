package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchDriftPipeline;
import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchRepeats;
import java.io.PrintStream;

final class BenchDriftCommand implements Command<BenchDriftPipeline.Options> {

  @Override
  public String name() {
    return "bench-drift";
  }

  @Override
  public String summary() {
    return "rows/s of drift profiling against rows/s of scoring the same rows, in one run";
  }

  @Override
  public Class<BenchDriftPipeline.Options> optionsClass() {
    return BenchDriftPipeline.Options.class;
  }

  @Override
  public void run(BenchDriftPipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.run(
        name(), options, BenchFlags.of(options), out, () -> BenchDriftPipeline.run(options, out));
  }
}
