package io.streamml.pipelines.cli;

import io.streamml.pipelines.GeneratePipeline;
import java.io.PrintStream;

final class GenerateCommand implements Command<GeneratePipeline.Options> {

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "write simulated events to JSON-lines files";
  }

  @Override
  public Class<GeneratePipeline.Options> optionsClass() {
    return GeneratePipeline.Options.class;
  }

  @Override
  public void run(GeneratePipeline.Options options, String action, PrintStream out) {
    long written = GeneratePipeline.run(options);
    if (written < 0) {
      out.println("streamml generate: the runner prepared the job without running it.");
      return;
    }
    out.printf(
        "streamml generate: wrote %d %s events to %s*.jsonl%n",
        written, options.getUseCase(), GeneratePipeline.eventsPrefix(options));
  }
}
