package io.streamml.pipelines.cli;

import io.streamml.pipelines.DemoDrift;
import io.streamml.pipelines.DemoPipeline;
import io.streamml.pipelines.DemoSummary;
import io.streamml.pipelines.EventInputs;
import io.streamml.pipelines.ModelTraining;
import io.streamml.pipelines.ScoringSummary;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.model.ModelRegistry;
import java.io.PrintStream;

final class DemoCommand implements Command<DemoPipeline.Options> {

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "simulate events, extract features, score them and raise alerts (training a model"
        + " first if the registry has none)";
  }

  @Override
  public Class<DemoPipeline.Options> optionsClass() {
    return DemoPipeline.Options.class;
  }

  @Override
  public void run(DemoPipeline.Options options, String action, PrintStream out) throws Exception {
    out.printf(
        "streamml demo: %s events from %s on %s -> %s%n",
        options.getUseCase(),
        EventInputs.describeSource(options),
        options.getRunner().getSimpleName(),
        options.getOutput());
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    boolean train =
        spec.features() != null && spec.labelField() != null && !DemoPipeline.willScore(options);
    if (train) {
      out.printf(
          "streamml demo: no model in %s yet; first the features to train one on%n",
          options.getRegistry());
    }
    if (options.getDrift()) {
      DemoDrift.prepare(options, out);
    }
    DemoSummary summary = DemoPipeline.run(options);
    if (summary == null) {
      out.println("streamml demo: the runner prepared the job without running it; no results.");
      return;
    }
    summary.print(out);
    if (DemoPipeline.willMeasureDrift(options)) {
      DemoDrift.print(options, spec, out);
    }
    if (train) {
      ModelRegistry registry = ModelRegistry.at(options.getRegistry());
      out.printf("%nstreamml demo: ");
      String version =
          ModelTraining.trainAndRegister(
              spec,
              DemoPipeline.featuresPrefix(options) + "*",
              DemoPipeline.categoriesPrefix(options),
              options,
              registry,
              out);
      // Train first, then score the feature vectors the run wrote; later runs score end to end.
      out.printf("%nstreamml demo: scoring the feature vectors with model %s%n", version);
      if (DemoPipeline.scoreWrittenFeatures(options)) {
        ScoringSummary.read(options).print(out);
      }
    }
  }
}
