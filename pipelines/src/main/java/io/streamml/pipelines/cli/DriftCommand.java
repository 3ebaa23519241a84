package io.streamml.pipelines.cli;

import io.streamml.pipelines.DriftPipeline;
import java.io.PrintStream;

final class DriftCommand implements Command<DriftPipeline.Options> {

  @Override
  public String name() {
    return "drift";
  }

  @Override
  public String summary() {
    return "measure drift of the features per event-time window against the model's reference";
  }

  @Override
  public Class<DriftPipeline.Options> optionsClass() {
    return DriftPipeline.Options.class;
  }

  @Override
  public void run(DriftPipeline.Options options, String action, PrintStream out) throws Exception {
    DriftPipeline.run(options, out);
  }
}
