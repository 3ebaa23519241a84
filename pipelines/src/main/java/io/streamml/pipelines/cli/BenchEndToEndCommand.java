package io.streamml.pipelines.cli;

import io.streamml.pipelines.BenchEndToEndPipeline;
import io.streamml.pipelines.BenchFlags;
import io.streamml.pipelines.BenchRepeats;
import java.io.PrintStream;

final class BenchEndToEndCommand implements Command<BenchEndToEndPipeline.Options> {

  @Override
  public String name() {
    return "bench-pipeline";
  }

  @Override
  public String summary() {
    return "events/s parse -> features -> scores against a plain Java loop doing the same";
  }

  @Override
  public Class<BenchEndToEndPipeline.Options> optionsClass() {
    return BenchEndToEndPipeline.Options.class;
  }

  @Override
  public void run(BenchEndToEndPipeline.Options options, String action, PrintStream out)
      throws Exception {
    BenchRepeats.run(
        name(),
        options,
        BenchFlags.of(options),
        out,
        () -> BenchEndToEndPipeline.run(options, out));
  }
}
