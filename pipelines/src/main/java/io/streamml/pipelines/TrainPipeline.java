package io.streamml.pipelines;

import io.streamml.pipelines.options.EnrichmentOptions;
import io.streamml.pipelines.options.EventSourceOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.TrainingOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.io.WriteJsonLines;
import io.streamml.transforms.model.ModelRegistry;
import io.streamml.transforms.model.WriteTrainingSetParquet;
import java.io.PrintStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Turns history into a registered model: read → parse → (enrich) → the same features as serving,
 * written as the training set under {@code --output/training-set/} (JSON lines {@code part-*}, and
 * Parquet {@code vectors-*.parquet} to inspect); then, on the launcher's machine, a time-ordered
 * split, XGBoost training with early stopping, holdout evaluation, and a new bundle version in
 * {@code --registry}.
 */
public final class TrainPipeline {

  /** The trainer's flags. */
  public interface Options
      extends UseCaseOptions,
          EventSourceOptions,
          SimulatorOptions,
          EnrichmentOptions,
          OutputOptions,
          RegistryOptions,
          TrainingOptions {}

  private TrainPipeline() {}

  public static String trainingSetPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "training-set/part");
  }

  /** Where the training events' category counts go (the drift reference of categorical fields). */
  static String categoriesPrefix(OutputOptions options) {
    return TrainingCategories.prefix(options.getOutput());
  }

  /** Where the Parquet copy of the training set goes: {@code vectors-*.parquet} files. */
  public static String trainingSetDirectory(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "training-set");
  }

  /**
   * Whether the drift run in {@code --onTrigger} asked for retraining after the LATEST model's
   * training window (always, for an empty registry); says which trigger, or why not.
   */
  private static boolean retrainAsked(Options options, PrintStream out) throws Exception {
    ModelRegistry registry = ModelRegistry.at(options.getRegistry());
    String version = registry.latestVersion();
    if (version == null) {
      out.println("streamml train: no model yet; training regardless of triggers.");
      return true;
    }
    org.joda.time.Instant trainedTo = registry.load(version).trainedTo();
    Row trigger =
        RetrainTriggers.read(
                OutputFiles.join(options.getOnTrigger(), "drift/retrain-triggers/part*"))
            .firstAfter(trainedTo);
    if (trigger == null) {
      out.printf(
          "streamml train: no retrain trigger in %s after %s's training data (to %s); nothing"
              + " to do.%n",
          options.getOnTrigger(), version, trainedTo);
      return false;
    }
    out.printf(
        "streamml train: retraining on %s at %s: %s%n",
        trigger.getString(io.streamml.schemas.RetrainTrigger.REASON),
        trigger.getDateTime(io.streamml.schemas.RetrainTrigger.TRIGGER_TIME),
        trigger.getString(io.streamml.schemas.RetrainTrigger.DETAIL));
    return true;
  }

  /** Builds the training set, trains, registers; returns the new version. */
  public static String run(Options options, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    if (options.getOnTrigger() != null && !retrainAsked(options, out)) {
      return null;
    }
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    if (spec.features() == null || spec.labelField() == null) {
      throw new IllegalArgumentException(
          "Use case '" + spec.name() + "' needs features and a label field to train");
    }
    Pipeline pipeline = Pipeline.create(options);
    PCollection<Row> events = EventInputs.readAndParse(pipeline, options, spec, 0.0).output();
    TrainingCategories.write(events, spec, categoriesPrefix(options));
    PCollection<Row> vectors =
        EventInputs.enrich(events, spec, options)
            .apply("ExtractFeatures", WindowedFeatures.of(spec))
            .output();
    vectors.apply("WriteTrainingSet", WriteJsonLines.to(trainingSetPrefix(options)));
    // The same vectors as Parquet, for inspection with any Parquet tool; training reads the JSON.
    vectors.apply(
        "WriteTrainingSetParquet", WriteTrainingSetParquet.to(trainingSetDirectory(options)));
    if (options.getClearOutput()) {
      OutputFiles.deleteMatching(trainingSetPrefix(options) + "*");
      OutputFiles.deleteMatching(trainingSetDirectory(options) + "/vectors-*.parquet");
      OutputFiles.deleteMatching(categoriesPrefix(options) + "*");
    }
    out.printf("streamml train: building the %s training set...%n", spec.name());
    if (!PipelineRuns.runToCompletion(pipeline)) {
      out.println("streamml train: the runner prepared the job without running it.");
      return null;
    }

    String version =
        ModelTraining.trainAndRegister(
            spec,
            trainingSetPrefix(options) + "*",
            categoriesPrefix(options),
            options,
            ModelRegistry.at(options.getRegistry()),
            out);
    return version;
  }
}
