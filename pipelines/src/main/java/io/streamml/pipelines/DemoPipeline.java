package io.streamml.pipelines;

import io.streamml.pipelines.options.ArchiveOptions;
import io.streamml.pipelines.options.DemoDriftOptions;
import io.streamml.pipelines.options.DriftOptions;
import io.streamml.pipelines.options.EnrichmentOptions;
import io.streamml.pipelines.options.EventSourceOptions;
import io.streamml.pipelines.options.KafkaSinkOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.ScoreTopicsOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.TrainingOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.Alert;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.Score;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.ingest.ReadEvents;
import io.streamml.transforms.io.WriteJsonLines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The end-to-end demo: simulate (or read) events, parse and validate them, extract the use case's
 * features, score them with the registry's model (when it has one), raise model and rule alerts,
 * and write events, feature vectors, scores, alerts and dead letters under {@code --output}.
 */
public final class DemoPipeline {

  /** Share of malformed records the demo injects unless told otherwise, so dead letters show. */
  public static final double DEFAULT_MALFORMED_RATE = 0.02;

  /** The demo's flags. */
  public interface Options
      extends UseCaseOptions,
          EventSourceOptions,
          SimulatorOptions,
          EnrichmentOptions,
          OutputOptions,
          RegistryOptions,
          TrainingOptions,
          ArchiveOptions,
          KafkaSinkOptions,
          ScoreTopicsOptions,
          ScoringOptions,
          DriftOptions,
          DemoDriftOptions {}

  private DemoPipeline() {}

  public static String eventsPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "events/part");
  }

  public static String categoriesPrefix(OutputOptions options) {
    return TrainingCategories.prefix(options.getOutput());
  }

  public static String featuresPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "features/part");
  }

  public static String deadLettersPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "dead-letters/part");
  }

  /** Whether the demo will score: {@code --model} or {@code --registry} holds a model. */
  public static boolean willScore(Options options) {
    return options.getModel() != null
        || ScoringStages.hasModel(ScoringStages.modelPath(options, options.getRegistry()));
  }

  /** Whether the demo measures drift: {@code --drift} and a model to measure it against. */
  public static boolean willMeasureDrift(Options options) {
    return options.getDrift() && willScore(options);
  }

  /** Adds the demo's steps to {@code pipeline}; tests call this with their own pipeline. */
  public static void buildPipeline(Pipeline pipeline, Options options) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    WithFailures.Result<PCollection<Row>, Row> parsed =
        EventInputs.readAndParse(pipeline, options, spec, DEFAULT_MALFORMED_RATE);
    StreamOutputs.archive(parsed, spec, options);
    parsed.output().apply("WriteEvents", WriteJsonLines.to(eventsPrefix(options)));
    if (spec.features() != null && spec.labelField() != null && !willScore(options)) {
      // The model trained after this run keeps the categories' reference for drift.
      TrainingCategories.write(parsed.output(), spec, categoriesPrefix(options));
    }
    PCollectionList<Row> deadLetters = PCollectionList.of(parsed.failures());
    if (spec.features() != null) {
      PCollection<Row> events = EventInputs.enrich(parsed.output(), spec, options);
      WithFailures.Result<PCollection<Row>, Row> features =
          events.apply("ExtractFeatures", WindowedFeatures.of(spec));
      features.output().apply("WriteFeatures", WriteJsonLines.to(featuresPrefix(options)));
      StreamOutputs.toKafka(
          features.output(),
          "Features",
          options.getOutputTopicFeatures(),
          FeatureVector.KEY,
          options);
      deadLetters = deadLetters.and(features.failures());
      ScoringStages.Outputs scored =
          ScoringStages.apply(
              features.output(),
              spec,
              willScore(options) ? ScoringStages.transform(options, options.getRegistry()) : null);
      scored.scores.apply("WriteScores", WriteJsonLines.to(ScoringStages.scoresPrefix(options)));
      scored.alerts.apply("WriteAlerts", WriteJsonLines.to(ScoringStages.alertsPrefix(options)));
      StreamOutputs.toKafka(
          scored.scores, "Scores", options.getOutputTopicScores(), Score.KEY, options);
      StreamOutputs.toKafka(
          scored.alerts, "Alerts", options.getOutputTopicAlerts(), Alert.KEY, options);
      deadLetters = deadLetters.and(scored.deadLetters);
      if (willMeasureDrift(options)) {
        deadLetters =
            deadLetters.and(
                DriftStages.measure(
                        pipeline,
                        options,
                        spec,
                        parsed.output(),
                        events,
                        features.output(),
                        scored.scores,
                        DriftPipeline.referenceOf(options, options.getRegistry()))
                    .deadLetters);
      }
    }
    StreamOutputs.deadLettersToKafka(deadLetters, options);
    deadLetters
        .apply("CollectDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", WriteJsonLines.to(deadLettersPrefix(options)));
  }

  /**
   * Scores the feature vectors a features-only run wrote (the demo's first run into an empty
   * registry, once it has trained a model) and raises alerts: train first, then score, without
   * simulating and featurising the same events again. Returns false if the runner only prepared it.
   */
  public static boolean scoreWrittenFeatures(Options options) {
    FileSystems.setDefaultPipelineOptions(options);
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    RowJsonCodec codec = RowJsonCodec.of(FeatureVector.schema(spec));
    Pipeline pipeline = Pipeline.create(options);
    PCollection<Row> vectors =
        pipeline
            .apply("ReadFeatures", ReadEvents.fromJsonLines(featuresPrefix(options) + "*"))
            .apply(
                "ParseFeatures",
                MapElements.into(TypeDescriptors.rows()).via((String line) -> codec.parse(line)))
            .setRowSchema(codec.schema());
    ScoringStages.Outputs scored =
        ScoringStages.apply(vectors, spec, ScoringStages.transform(options, options.getRegistry()));
    scored.scores.apply("WriteScores", WriteJsonLines.to(ScoringStages.scoresPrefix(options)));
    scored.alerts.apply("WriteAlerts", WriteJsonLines.to(ScoringStages.alertsPrefix(options)));
    StreamOutputs.toKafka(
        scored.scores, "Scores", options.getOutputTopicScores(), Score.KEY, options);
    StreamOutputs.toKafka(
        scored.alerts, "Alerts", options.getOutputTopicAlerts(), Alert.KEY, options);
    StreamOutputs.deadLettersToKafka(PCollectionList.of(scored.deadLetters), options);
    scored.deadLetters.apply(
        "WriteScoringDeadLetters", WriteJsonLines.to(deadLettersPrefix(options) + "-scoring"));
    OutputFiles.deleteMatching(ScoringStages.scoresPrefix(options) + "*");
    OutputFiles.deleteMatching(ScoringStages.alertsPrefix(options) + "*");
    return PipelineRuns.runToCompletion(pipeline);
  }

  /**
   * Runs the demo to completion (bounded input) and reads back what it wrote; null if the runner
   * only prepared the job without running it.
   */
  public static @Nullable DemoSummary run(Options options) {
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    if (options.getClearOutput()) {
      OutputFiles.deleteMatching(eventsPrefix(options) + "*");
      OutputFiles.deleteMatching(deadLettersPrefix(options) + "*");
      OutputFiles.deleteMatching(featuresPrefix(options) + "*");
      OutputFiles.deleteMatching(categoriesPrefix(options) + "*");
      OutputFiles.deleteMatching(ScoringStages.scoresPrefix(options) + "*");
      OutputFiles.deleteMatching(ScoringStages.alertsPrefix(options) + "*");
      DriftPipeline.clearOutputs(options);
    }
    long start = System.nanoTime();
    if (!PipelineRuns.runToCompletion(pipeline)) {
      return null;
    }
    return DemoSummary.read(options, (System.nanoTime() - start) / 1e9);
  }
}
