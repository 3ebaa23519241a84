package io.streamml.pipelines;

import io.streamml.pipelines.options.DriftOptions;
import io.streamml.pipelines.options.DriftTopicsOptions;
import io.streamml.pipelines.options.EnrichmentOptions;
import io.streamml.pipelines.options.EventSourceOptions;
import io.streamml.pipelines.options.KafkaSinkOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.pipelines.options.RegistryOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.RetrainTrigger;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.drift.ComputeDrift;
import io.streamml.transforms.drift.DetectRetrainTriggers;
import io.streamml.transforms.drift.DriftThresholds;
import io.streamml.transforms.drift.ProfileWindow;
import io.streamml.transforms.drift.ReferenceProfile;
import io.streamml.transforms.drift.RetrainPolicy;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.io.WriteJsonLines;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import java.io.PrintStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.transforms.DropFields;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * Measures drift of the live (or archived) features against the reference profile of the model in
 * {@code --registry} (its LATEST version): read → parse → (enrich) → the serving features → {@link
 * ProfileWindow} per event-time window → {@link ComputeDrift}. Writes window profiles, drift
 * metrics, retrain triggers and dead letters as JSON lines under {@code --output/drift/} and, with
 * {@code --outputTopic...} flags, to Kafka topics (metrics keyed by column, triggers by reason,
 * dead letters unkeyed).
 */
public final class DriftPipeline {

  /** The drift pipeline's flags. */
  public interface Options
      extends UseCaseOptions,
          EventSourceOptions,
          SimulatorOptions,
          EnrichmentOptions,
          OutputOptions,
          RegistryOptions,
          ScoringOptions,
          DriftOptions,
          KafkaSinkOptions,
          DriftTopicsOptions {}

  private DriftPipeline() {}

  public static String profilesPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/profiles/part");
  }

  public static String metricsPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/metrics/part");
  }

  public static String triggersPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/retrain-triggers/part");
  }

  /** The retraining policy the flags set. */
  public static RetrainPolicy retrainPolicy(DriftOptions options) {
    RetrainPolicy policy =
        RetrainPolicy.defaults()
            .withDatasetDriftShare(options.getDatasetDriftShare())
            .withWindowsToTrigger(options.getRetrainAfterWindows())
            .withWindowsToRearm(options.getRetrainRearmWindows())
            .withCooldown(hours(options.getRetrainCooldownHours()));
    return options.getRetrainEveryHours() > 0
        ? policy.withSchedule(hours(options.getRetrainEveryHours()))
        : policy;
  }

  private static Duration hours(double hours) {
    return Duration.millis(Math.round(hours * 3_600_000));
  }

  public static String deadLettersPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/dead-letters/part");
  }

  /** The thresholds the flags set. */
  public static DriftThresholds thresholds(DriftOptions options) {
    return DriftThresholds.defaults()
        .with(DriftMetric.PSI, options.getPsiWarn(), options.getPsiDrift())
        .with(DriftMetric.JS_DISTANCE, options.getJsDrift(), options.getJsDrift())
        .with(
            DriftMetric.WASSERSTEIN_NORMALIZED,
            options.getWassersteinDrift(),
            options.getWassersteinDrift())
        .withMinCount(options.getMinWindowCount());
  }

  /** The profiling and comparison steps, for any pipeline that has feature vectors or scores. */
  public static PCollection<Row> measureDrift(
      PCollection<Row> rows, ReferenceProfile reference, DriftOptions options, boolean scores) {
    Duration size = Duration.standardMinutes(options.getDriftWindowMinutes());
    ProfileWindow profile =
        scores ? ProfileWindow.ofScores(reference, size) : ProfileWindow.of(reference, size);
    if (options.getDriftSlideMinutes() > 0) {
      profile = profile.withSlidingPeriod(Duration.standardMinutes(options.getDriftSlideMinutes()));
    }
    if (options.getSegmentField() != null) {
      profile = profile.withSegmentField(options.getSegmentField());
    }
    return rows.apply(scores ? "ProfileScoreWindows" : "ProfileFeatureWindows", profile);
  }

  /** Adds the drift steps to {@code pipeline}, against {@code reference}. */
  public static void buildPipeline(Pipeline pipeline, Options options, ReferenceProfile reference) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    WithFailures.Result<PCollection<Row>, Row> parsed =
        EventInputs.readAndParse(pipeline, options, spec, 0.0);
    WithFailures.Result<PCollection<Row>, Row> features =
        EventInputs.enrich(parsed.output(), spec, options)
            .apply("ExtractFeatures", WindowedFeatures.of(spec));
    // The model scores the same vectors, so its score's drift is measured beside the features'.
    WithFailures.Result<PCollection<Row>, Row> scored =
        features
            .output()
            .apply("ScoreWithXGBoost", ScoringStages.transform(options, options.getRegistry()));
    PCollection<Row> profiles =
        PCollectionList.of(measureDrift(features.output(), reference, options, false))
            .and(measureDrift(scored.output(), reference, options, true))
            .apply("CollectProfiles", Flatten.pCollections());
    PCollection<Row> metrics =
        profiles.apply(
            "ComputeDrift", ComputeDrift.against(reference).withThresholds(thresholds(options)));
    // The sketch bytes stay in the pipeline; the files carry the readable profile.
    writeInGlobalWindow(
        profiles.apply("DropSketches", DropFields.fields("quantile_sketch")),
        "WriteProfiles",
        profilesPrefix(options));
    writeInGlobalWindow(metrics, "WriteDriftMetrics", metricsPrefix(options));
    PCollection<Row> triggers =
        metrics.apply(
            "DetectRetrainTriggers", DetectRetrainTriggers.withPolicy(retrainPolicy(options)));
    writeInGlobalWindow(triggers, "WriteRetrainTriggers", triggersPrefix(options));
    StreamOutputs.toKafka(
        metrics, "DriftMetrics", options.getOutputTopicDriftMetrics(), DriftMetric.COLUMN, options);
    StreamOutputs.toKafka(
        triggers,
        "RetrainTriggers",
        options.getOutputTopicRetrainTriggers(),
        RetrainTrigger.REASON,
        options);
    PCollectionList<Row> deadLetters =
        PCollectionList.of(parsed.failures()).and(features.failures()).and(scored.failures());
    StreamOutputs.deadLettersToKafka(deadLetters, options);
    writeInGlobalWindow(
        deadLetters.apply("CollectDeadLetters", Flatten.pCollections()),
        "WriteDeadLetters",
        deadLettersPrefix(options));
  }

  /** Bounded windowed results go to one set of files; unbounded ones to files per window. */
  private static void writeInGlobalWindow(PCollection<Row> rows, String name, String prefix) {
    PCollection<Row> toWrite = rows;
    if (rows.isBounded() == PCollection.IsBounded.BOUNDED) {
      toWrite = rows.apply(name + "InOneWindow", Window.<Row>into(new GlobalWindows()));
    }
    toWrite.apply(name, WriteJsonLines.to(prefix));
  }

  /** The reference profile of the model drift is measured for: {@code --model} or LATEST. */
  public static ReferenceProfile referenceOf(Options options) throws Exception {
    String path = ScoringStages.modelPath(options, options.getRegistry());
    return ScoringStages.hasModel(path)
        ? referenceOf(path)
        : profileOf(ModelBundle.readFrom(path), path);
  }

  /** The reference profile of the registry's LATEST model; one clear error if there is none. */
  public static ReferenceProfile referenceOf(String registry) throws Exception {
    return profileOf(ModelRegistry.at(registry).loadLatest(), registry);
  }

  private static ReferenceProfile profileOf(ModelBundle bundle, String registry) {
    return bundle
        .profile()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "The model in "
                        + registry
                        + " has no reference profile (trained before profiles existed); retrain"
                        + " it"));
  }

  /** Runs to completion and prints the drift found per column; false if the job only was staged. */
  public static boolean run(Options options, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    ReferenceProfile reference = referenceOf(options);
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options, reference);
    if (options.getClearOutput()) {
      OutputFiles.deleteMatching(profilesPrefix(options) + "*");
      OutputFiles.deleteMatching(metricsPrefix(options) + "*");
      OutputFiles.deleteMatching(deadLettersPrefix(options) + "*");
      OutputFiles.deleteMatching(triggersPrefix(options) + "*");
    }
    out.printf(
        "streamml drift: profiling %d-minute windows against the LATEST model's reference...%n",
        options.getDriftWindowMinutes());
    if (!PipelineRuns.runToCompletion(pipeline)) {
      out.println("streamml drift: the runner prepared the job without running it.");
      return false;
    }
    DriftSummary.read(metricsPrefix(options) + "*").print(out);
    RetrainTriggers.read(triggersPrefix(options) + "*").print(out);
    return true;
  }
}
