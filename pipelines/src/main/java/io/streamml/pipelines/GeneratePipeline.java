package io.streamml.pipelines;

import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.ingest.ReadEvents;
import io.streamml.transforms.io.WriteLines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Writes simulated events as JSON-lines files under {@code --output/<useCase>/}, ready for {@code
 * --input} of the other pipelines (or to replay into Kafka).
 */
public final class GeneratePipeline {

  /** The generator's flags. */
  public interface Options extends UseCaseOptions, SimulatorOptions, OutputOptions {}

  private GeneratePipeline() {}

  public static String eventsPrefix(Options options) {
    return OutputFiles.join(options.getOutput(), options.getUseCase() + "/events");
  }

  public static void buildPipeline(Pipeline pipeline, Options options) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    pipeline
        .apply(
            "SimulateEvents",
            ReadEvents.fromSimulator(EventInputs.simulatorConfig(options, spec, 0.0)))
        .apply("WriteEvents", WriteLines.to(eventsPrefix(options)));
  }

  /** Generates the events and returns how many lines were written (-1: job not run here). */
  public static long run(Options options) {
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    if (options.getClearOutput()) {
      OutputFiles.deleteMatching(eventsPrefix(options) + "*");
    }
    if (!PipelineRuns.runToCompletion(pipeline)) {
      return -1;
    }
    return OutputFiles.countLines(eventsPrefix(options) + "*");
  }
}
