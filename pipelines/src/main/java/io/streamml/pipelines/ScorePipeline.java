package io.streamml.pipelines;

import io.streamml.pipelines.options.EnrichmentOptions;
import io.streamml.pipelines.options.EventSourceOptions;
import io.streamml.pipelines.options.KafkaSinkOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.ScoreTopicsOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.Alert;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.Score;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.io.WriteJsonLines;
import io.streamml.transforms.io.WriteParquet;
import io.streamml.transforms.scoring.ScoreWithXGBoost;
import java.io.PrintStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Scores a stream: read (files, the archive, Kafka or the simulator) → parse → (enrich) → features
 * → XGBoost scores → model and rule alerts; writes scores, alerts and dead letters as JSON lines
 * under {@code --output} and, with {@code --outputTopic...} flags, to Kafka topics (features,
 * scores and alerts keyed by entity key, dead letters unkeyed). On a stream ({@code --events=0} or
 * an unbounded Kafka read) it follows the registry's LATEST and runs until cancelled.
 */
public final class ScorePipeline {

  /** The scorer's flags. */
  public interface Options
      extends UseCaseOptions,
          EventSourceOptions,
          SimulatorOptions,
          EnrichmentOptions,
          OutputOptions,
          RegistryOptions,
          ScoringOptions,
          KafkaSinkOptions,
          ScoreTopicsOptions {}

  private ScorePipeline() {}

  public static String scoresParquet(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "scores-parquet");
  }

  public static String alertsParquet(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "alerts-parquet");
  }

  public static String deadLettersPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "dead-letters/part");
  }

  /** Adds the scoring steps to {@code pipeline}; tests call this with their own pipeline. */
  public static void buildPipeline(Pipeline pipeline, Options options) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    if (spec.features() == null) {
      throw new IllegalArgumentException(
          "Use case '" + spec.name() + "' declares no features to score");
    }
    ScoreWithXGBoost score = ScoringStages.transform(options, options.getRegistry());
    WithFailures.Result<PCollection<Row>, Row> parsed =
        EventInputs.readAndParse(pipeline, options, spec, 0.0);
    WithFailures.Result<PCollection<Row>, Row> features =
        EventInputs.enrich(parsed.output(), spec, options)
            .apply("ExtractFeatures", WindowedFeatures.of(spec));
    ScoringStages.Outputs scored = ScoringStages.apply(features.output(), spec, score);
    scored.scores.apply("WriteScores", WriteJsonLines.to(ScoringStages.scoresPrefix(options)));
    scored.alerts.apply("WriteAlerts", WriteJsonLines.to(ScoringStages.alertsPrefix(options)));
    if (options.getWriteParquet()) {
      scored.scores.apply("WriteScoresParquet", WriteParquet.to(scoresParquet(options), "scores"));
      scored.alerts.apply("WriteAlertsParquet", WriteParquet.to(alertsParquet(options), "alerts"));
    }
    StreamOutputs.toKafka(
        features.output(),
        "Features",
        options.getOutputTopicFeatures(),
        FeatureVector.KEY,
        options);
    StreamOutputs.toKafka(
        scored.scores, "Scores", options.getOutputTopicScores(), Score.KEY, options);
    StreamOutputs.toKafka(
        scored.alerts, "Alerts", options.getOutputTopicAlerts(), Alert.KEY, options);
    PCollectionList<Row> deadLetters =
        PCollectionList.of(parsed.failures()).and(features.failures()).and(scored.deadLetters);
    StreamOutputs.deadLettersToKafka(deadLetters, options);
    deadLetters
        .apply("CollectDeadLetters", Flatten.pCollections())
        .apply("WriteDeadLetters", WriteJsonLines.to(deadLettersPrefix(options)));
  }

  /** Runs to completion (bounded input) and returns what it wrote; null if only prepared. */
  public static @Nullable ScoringSummary run(Options options, PrintStream out) {
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    if (options.getClearOutput()) {
      OutputFiles.deleteMatching(ScoringStages.scoresPrefix(options) + "*");
      OutputFiles.deleteMatching(ScoringStages.alertsPrefix(options) + "*");
      OutputFiles.deleteMatching(deadLettersPrefix(options) + "*");
      OutputFiles.deleteMatching(scoresParquet(options) + "/*.parquet");
      OutputFiles.deleteMatching(alertsParquet(options) + "/*.parquet");
    }
    out.printf(
        "streamml score: %s with %s on %s -> %s%n",
        EventInputs.describeSource(options),
        ScoringStages.modelPath(options, options.getRegistry()),
        options.getRunner().getSimpleName(),
        options.getOutput());
    if (!PipelineRuns.runToCompletion(pipeline)) {
      out.println("streamml score: the runner prepared the job without running it.");
      return null;
    }
    ScoringSummary summary = ScoringSummary.read(options);
    summary.print(out);
    out.printf(
        "  %-16s %10d  %s*.jsonl%n",
        "dead letters",
        OutputFiles.countLines(deadLettersPrefix(options) + "*"),
        deadLettersPrefix(options));
    return summary;
  }
}
