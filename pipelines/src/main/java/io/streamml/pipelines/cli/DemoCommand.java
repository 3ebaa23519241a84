package io.streamml.pipelines.cli;

import io.streamml.pipelines.DemoPipeline;
import io.streamml.pipelines.DemoSummary;
import io.streamml.pipelines.EventInputs;
import io.streamml.pipelines.ModelTraining;
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
    return "simulate events, parse and validate them, write events and dead letters";
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
        options.getInput() == null ? "the simulator" : options.getInput(),
        options.getRunner().getSimpleName(),
        options.getOutput());
    DemoSummary summary = DemoPipeline.run(options);
    if (summary == null) {
      out.println("streamml demo: the runner prepared the job without running it; no results.");
      return;
    }
    summary.print(out);
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    ModelRegistry registry = ModelRegistry.at(options.getRegistry());
    if (spec.features() != null && spec.labelField() != null && registry.latestVersion() == null) {
      out.printf("%nstreamml demo: no model in %s yet; ", options.getRegistry());
      ModelTraining.trainAndRegister(
          spec, DemoPipeline.featuresPrefix(options) + "*", options, registry, out);
    }
  }
}
