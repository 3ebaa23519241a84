package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchFeaturesPipeline;
import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchRepeats;
import java.io.PrintStream;

final class BenchFeaturesCommand implements Command<BenchFeaturesPipeline.Options> {

  @Override
  public String name() {
    return "bench-features";
  }

  @Override
  public String summary() {
    return "features/s of the pipeline against a plain Java loop over the same events";
  }

  @Override
  public Class<BenchFeaturesPipeline.Options> optionsClass() {
    return BenchFeaturesPipeline.Options.class;
  }

  @Override
  public void run(BenchFeaturesPipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.run(
        name(),
        options,
        BenchFlags.of(options),
        out,
        () -> BenchFeaturesPipeline.run(options, out));
  }
}
