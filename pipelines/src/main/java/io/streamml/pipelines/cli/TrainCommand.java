package io.streamml.pipelines.cli;

import io.streamml.pipelines.TrainPipeline;
import java.io.PrintStream;

final class TrainCommand implements Command<TrainPipeline.Options> {

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "build a training set with the serving features, train XGBoost, register the model";
  }

  @Override
  public Class<TrainPipeline.Options> optionsClass() {
    return TrainPipeline.Options.class;
  }

  @Override
  public void run(TrainPipeline.Options options, String action, PrintStream out) throws Exception {
    TrainPipeline.run(options, out);
  }
}
