package io.streamml.pipelines.cli;

import io.streamml.pipelines.ScorePipeline;
import java.io.PrintStream;

final class ScoreCommand implements Command<ScorePipeline.Options> {

  @Override
  public String name() {
    return "score";
  }

  @Override
  public String summary() {
    return "score events with the registry's model (hot-swapped on streams), write scores and"
        + " alerts";
  }

  @Override
  public Class<ScorePipeline.Options> optionsClass() {
    return ScorePipeline.Options.class;
  }

  @Override
  public void run(ScorePipeline.Options options, String action, PrintStream out) {
    ScorePipeline.run(options, out);
  }
}
