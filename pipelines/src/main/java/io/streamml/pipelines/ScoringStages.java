package io.streamml.pipelines;

import io.streamml.pipelines.options.KafkaOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.Score;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.alerts.AlertOnRules;
import io.streamml.transforms.alerts.AlertOnScores;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import io.streamml.transforms.scoring.ScoreWithXGBoost;
import java.io.IOException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The scoring half of {@code score} and {@code demo}: feature vectors → scores (if a model is
 * given) → model alerts, plus the spec's rule alerts, which need no model. Flags are checked here,
 * naming the flag, before any pipeline runs.
 */
public final class ScoringStages {

  /**
   * What scoring adds to a pipeline; {@code scores} and its dead letters are empty without a model.
   */
  public static final class Outputs {
    public final PCollection<Row> scores;
    public final PCollection<Row> alerts;
    public final PCollection<Row> deadLetters;

    private Outputs(
        PCollection<Row> scores, PCollection<Row> alerts, PCollection<Row> deadLetters) {
      this.scores = scores;
      this.alerts = alerts;
      this.deadLetters = deadLetters;
    }
  }

  private ScoringStages() {}

  public static String scoresPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "scores/part");
  }

  public static String alertsPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "alerts/part");
  }

  /** {@code --model}, or the registry root when unset. */
  public static String modelPath(ScoringOptions options, String registry) {
    return options.getModel() == null ? registry : options.getModel();
  }

  /** Whether {@code path} holds a model: a registry with a LATEST version, or a bundle. */
  public static boolean hasModel(String path) {
    try {
      return ModelRegistry.at(path).latestVersion() != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The scoring transform the flags describe; a flag mistake is an IllegalArgumentException. */
  public static ScoreWithXGBoost transform(ScoringOptions options, String registry) {
    String path = modelPath(options, registry);
    ScoreWithXGBoost score;
    if (hasModel(path) && endsAtAPosition(options)) {
      score = ScoreWithXGBoost.pinned(latestBundle(path));
    } else if (hasModel(path)) {
      score = ScoreWithXGBoost.fromRegistry(path);
    } else if (isBundle(path)) {
      score = ScoreWithXGBoost.pinned(path);
    } else {
      throw new IllegalArgumentException(
          (options.getModel() == null ? "--registry=" : "--model=")
              + path
              + " holds no model: neither a registry with a LATEST version nor a model bundle"
              + " (train one with 'streamml train')");
    }
    require(
        options.getMaxBatchSize() >= 1,
        "--maxBatchSize must be at least 1",
        options.getMaxBatchSize());
    require(options.getTopK() >= 0, "--topK must be 0 or more", options.getTopK());
    require(
        options.getModelPollSeconds() >= 1,
        "--modelPollSeconds must be at least 1",
        options.getModelPollSeconds());
    score =
        score
            .withMaxBatchSize(options.getMaxBatchSize())
            .withTopK(options.getTopK())
            .withApproximateReasons(options.getApproximateReasons())
            .withPollInterval(Duration.standardSeconds(options.getModelPollSeconds()));
    if (options.getThreshold() != null) {
      double threshold = options.getThreshold();
      require(threshold >= 0 && threshold <= 1, "--threshold must be between 0 and 1", threshold);
      score = score.withThreshold(threshold);
    }
    if (options.getCrossBundleBatchMillis() != null) {
      int millis = options.getCrossBundleBatchMillis();
      require(millis >= 1, "--crossBundleBatchMillis must be at least 1", millis);
      score = score.withCrossBundleBatching(Duration.millis(millis));
    }
    return score;
  }

  /**
   * Whether the events come from a Kafka read that ends at offsets found at launch ({@code
   * --stopAtEnd}, {@code --stopTimestamp}). Beam types that read's output as unbounded (KafkaIO's
   * splittable reader), so a registry scorer would poll LATEST for ever and the job never end; like
   * any bounded input, it is scored with the version LATEST names at launch instead.
   */
  private static boolean endsAtAPosition(ScoringOptions options) {
    KafkaOptions kafka = options.as(KafkaOptions.class);
    return kafka.getInputTopic() != null
        && (kafka.getStopAtEnd() || kafka.getStopTimestamp() != null);
  }

  private static String latestBundle(String registry) {
    try {
      ModelRegistry models = ModelRegistry.at(registry);
      return models.folderOf(models.latestVersion());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read LATEST of --registry=" + registry, e);
    }
  }

  private static boolean isBundle(String path) {
    try {
      ModelBundle.readFrom(path);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void require(boolean ok, String message, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(message + ", not " + value);
    }
  }

  /**
   * Scores {@code vectors} with {@code score} (null: no model, rule alerts only) and raises model
   * and rule alerts.
   */
  public static Outputs apply(
      PCollection<Row> vectors, UseCaseSpec spec, @Nullable ScoreWithXGBoost score) {
    PCollection<Row> ruleAlerts = vectors.apply("AlertOnRules", AlertOnRules.of(spec));
    if (score == null) {
      PCollection<Row> noScores =
          vectors.getPipeline().apply("NoScores", Create.empty(Score.SCHEMA));
      PCollection<Row> noDeadLetters =
          vectors.getPipeline().apply("NoScoringDeadLetters", Create.empty(DeadLetter.SCHEMA));
      return new Outputs(noScores, ruleAlerts, noDeadLetters);
    }
    WithFailures.Result<PCollection<Row>, Row> scored = vectors.apply("ScoreWithXGBoost", score);
    PCollection<Row> alerts =
        PCollectionList.of(scored.output().apply("AlertOnScores", AlertOnScores.create()))
            .and(ruleAlerts)
            .apply("CollectAlerts", Flatten.pCollections());
    // Dead letters of every stage are collected in one global-window collection.
    PCollection<Row> deadLetters =
        scored
            .failures()
            .apply("RewindowScoringDeadLetters", Window.<Row>into(new GlobalWindows()));
    return new Outputs(scored.output(), alerts, deadLetters);
  }
}
