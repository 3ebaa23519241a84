package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchRepeats;
import io.streamml.pipelines.BenchScorePipeline;
import java.io.PrintStream;

final class BenchScoreCommand implements Command<BenchScorePipeline.Options> {

  @Override
  public String name() {
    return "bench-score";
  }

  @Override
  public String summary() {
    return "rows/s of the scoring transform against raw xgboost4j batch predict of the same rows";
  }

  @Override
  public Class<BenchScorePipeline.Options> optionsClass() {
    return BenchScorePipeline.Options.class;
  }

  @Override
  public void run(BenchScorePipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.run(
        name(), options, BenchFlags.of(options), out, () -> BenchScorePipeline.run(options, out));
  }
}
