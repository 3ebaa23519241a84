package io.streamml.pipelines.cli;

import io.streamml.pipelines.ReplayDeadLettersPipeline;
import java.io.PrintStream;

final class ReplayDeadLettersCommand implements Command<ReplayDeadLettersPipeline.Options> {

  @Override
  public String name() {
    return "replay-dead-letters";
  }

  @Override
  public String summary() {
    return "re-parse dead letters after a fix; the events that now pass, once per id, for --input";
  }

  @Override
  public Class<ReplayDeadLettersPipeline.Options> optionsClass() {
    return ReplayDeadLettersPipeline.Options.class;
  }

  @Override
  public void run(ReplayDeadLettersPipeline.Options options, String action, PrintStream out) {
    ReplayDeadLettersPipeline.run(options, out);
  }
}
