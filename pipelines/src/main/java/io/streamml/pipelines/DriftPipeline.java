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
import io.streamml.transforms.drift.MeasurePerformance;
import io.streamml.transforms.drift.ProfileWindow;
import io.streamml.transforms.drift.ReferenceProfile;
import io.streamml.transforms.drift.RetrainPolicy;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.io.WriteJsonLines;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Measures drift of the live (or archived) features against the reference profile of the model in
 * {@code --registry} (its LATEST version): read → parse → (enrich) → the serving features → {@link
 * ProfileWindow} per event-time window → {@link ComputeDrift}. Writes window profiles, drift
 * metrics, the dataset verdict per window, retrain triggers and dead letters as JSON lines under
 * {@code --output/drift/} and, with {@code --outputTopic...} flags, to Kafka topics (metrics keyed
 * by column, triggers by reason, dead letters unkeyed); with labels ({@code --labelFiles}, {@code
 * --labelsFromEvents}) also the model's quality per window ({@link MeasurePerformance}), which can
 * ask for retraining.
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

  public static String previousWindowPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/previous-window/part");
  }

  public static String datasetDriftPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/dataset/part");
  }

  public static String performancePrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/performance/part");
  }

  public static String triggersPrefix(OutputOptions options) {
    return OutputFiles.join(options.getOutput(), "drift/retrain-triggers/part");
  }

  /** The retraining policy the flags (and the spec's dataset drift share) set. */
  public static RetrainPolicy retrainPolicy(DriftOptions options, DriftSettings settings) {
    RetrainPolicy policy =
        RetrainPolicy.defaults()
            .withDatasetDriftShare(settings.datasetDriftShare())
            .withWindowsToTrigger(options.getRetrainAfterWindows())
            .withWindowsToRearm(options.getRetrainRearmWindows())
            .withCooldown(hours(options.getRetrainCooldownHours()));
    if (options.getMinAuc() > 0) {
      policy =
          policy.withMinAuc(options.getMinAuc()).withMinLabelled(options.getMinLabelledPerWindow());
    }
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

  /** The profiling and comparison steps, for any pipeline that has feature vectors or scores. */
  public static PCollection<Row> measureDrift(
      PCollection<Row> rows,
      ReferenceProfile reference,
      DriftOptions options,
      @Nullable String segmentField,
      boolean scores) {
    Duration size = Duration.standardMinutes(options.getDriftWindowMinutes());
    ProfileWindow profile =
        scores ? ProfileWindow.ofScores(reference, size) : ProfileWindow.of(reference, size);
    return rows.apply(
        scores ? "ProfileScoreWindows" : "ProfileFeatureWindows",
        windowsOf(profile, options, segmentField));
  }

  /**
   * Profiles of the reference's categorical fields over events, windowed like the features'; none
   * (an empty list) if the reference has no categories (bundles from before they were kept) or only
   * the segment field.
   */
  static List<PCollection<Row>> measureCategoryDrift(
      PCollection<Row> events,
      ReferenceProfile reference,
      DriftOptions options,
      @Nullable String segmentField) {
    boolean onlyTheSegment =
        reference.categories().stream().allMatch(c -> c.name().equals(segmentField));
    if (onlyTheSegment) {
      return List.of();
    }
    Duration size = Duration.standardMinutes(options.getDriftWindowMinutes());
    return List.of(
        events.apply(
            "ProfileCategoryWindows",
            windowsOf(ProfileWindow.ofCategories(reference, size), options, segmentField)));
  }

  private static ProfileWindow windowsOf(
      ProfileWindow profile, DriftOptions options, @Nullable String segmentField) {
    if (options.getDriftSlideMinutes() > 0) {
      profile = profile.withSlidingPeriod(Duration.standardMinutes(options.getDriftSlideMinutes()));
    }
    return segmentField != null ? profile.withSegmentField(segmentField) : profile;
  }

  /** Adds the drift steps to {@code pipeline}, against {@code reference}. */
  public static void buildPipeline(Pipeline pipeline, Options options, ReferenceProfile reference) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    WithFailures.Result<PCollection<Row>, Row> parsed =
        EventInputs.readAndParse(pipeline, options, spec, 0.0);
    PCollection<Row> events = EventInputs.enrich(parsed.output(), spec, options);
    WithFailures.Result<PCollection<Row>, Row> features =
        events.apply("ExtractFeatures", WindowedFeatures.of(spec));
    // The model scores the same vectors, so its score's drift is measured beside the features'.
    WithFailures.Result<PCollection<Row>, Row> scored =
        features
            .output()
            .apply("ScoreWithXGBoost", ScoringStages.transform(options, options.getRegistry()));
    DriftStages.Outputs drift =
        DriftStages.measure(
            pipeline,
            options,
            spec,
            parsed.output(),
            events,
            features.output(),
            scored.output(),
            reference);
    StreamOutputs.toKafka(
        drift.metrics,
        "DriftMetrics",
        options.getOutputTopicDriftMetrics(),
        DriftMetric.COLUMN,
        options);
    StreamOutputs.toKafka(
        drift.triggers,
        "RetrainTriggers",
        options.getOutputTopicRetrainTriggers(),
        RetrainTrigger.REASON,
        options);
    PCollectionList<Row> deadLetters =
        PCollectionList.of(parsed.failures())
            .and(inOneWindow(features.failures(), "FeatureDeadLetters"))
            .and(inOneWindow(scored.failures(), "ScoringDeadLetters"))
            .and(drift.deadLetters);
    StreamOutputs.deadLettersToKafka(deadLetters, options);
    writeInGlobalWindow(
        deadLetters.apply("CollectDeadLetters", Flatten.pCollections()),
        "WriteDeadLetters",
        deadLettersPrefix(options));
  }

  /**
   * Bounded per-window features (maintenance) leave their dead letters in the features' windows and
   * trigger; put them in the global window of the other dead letters so they can be flattened.
   */
  private static PCollection<Row> inOneWindow(PCollection<Row> rows, String name) {
    if (rows.isBounded() != PCollection.IsBounded.BOUNDED
        || rows.getWindowingStrategy().getWindowFn() instanceof GlobalWindows) {
      return rows;
    }
    return rows.apply(
        name + "InGlobalWindow",
        Window.<Row>into(new GlobalWindows())
            .triggering(DefaultTrigger.of())
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
  }

  /** Bounded windowed results go to one set of files; unbounded ones to files per window. */
  static void writeInGlobalWindow(PCollection<Row> rows, String name, String prefix) {
    PCollection<Row> toWrite = rows;
    if (rows.isBounded() == PCollection.IsBounded.BOUNDED) {
      toWrite = rows.apply(name + "InOneWindow", Window.<Row>into(new GlobalWindows()));
    }
    toWrite.apply(name, WriteJsonLines.to(prefix));
  }

  /** The reference profile of the model drift is measured for: {@code --model} or LATEST. */
  public static ReferenceProfile referenceOf(Options options) {
    return referenceOf(options, options.getRegistry());
  }

  /** The reference profile of {@code --model}, or of {@code registry}'s LATEST model. */
  public static ReferenceProfile referenceOf(ScoringOptions options, String registry) {
    String path = ScoringStages.modelPath(options, registry);
    try {
      return ScoringStages.hasModel(path)
          ? referenceOf(path)
          : profileOf(ModelBundle.readFrom(path), path);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("Cannot read the model at " + path + ": " + e, e);
    }
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

  /** Prints what the drift steps wrote: drift per column, model quality, retrain triggers. */
  static <T extends DriftOptions & OutputOptions> void printResults(
      T options, UseCaseSpec spec, PrintStream out) {
    DriftSettings settings = DriftSettings.of(options, spec.drift());
    DriftSummary.read(metricsPrefix(options) + "*", settings.datasetDriftShare()).print(out);
    if (DriftLabels.requested(options)) {
      PerformanceSummary.read(performancePrefix(options) + "*").print(out);
    }
    RetrainTriggers.read(triggersPrefix(options) + "*").print(out);
  }

  /** Deletes what an earlier run's drift steps wrote under {@code --output}. */
  static void clearOutputs(OutputOptions options) {
    OutputFiles.deleteMatching(profilesPrefix(options) + "*");
    OutputFiles.deleteMatching(metricsPrefix(options) + "*");
    OutputFiles.deleteMatching(previousWindowPrefix(options) + "*");
    OutputFiles.deleteMatching(triggersPrefix(options) + "*");
    OutputFiles.deleteMatching(datasetDriftPrefix(options) + "*");
    OutputFiles.deleteMatching(performancePrefix(options) + "*");
  }

  /** Runs to completion and prints the drift found per column; false if the job only was staged. */
  public static boolean run(Options options, PrintStream out) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    ReferenceProfile reference = referenceOf(options);
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options, reference);
    if (options.getClearOutput()) {
      clearOutputs(options);
      OutputFiles.deleteMatching(deadLettersPrefix(options) + "*");
    }
    out.printf(
        "streamml drift: profiling %d-minute windows against the LATEST model's reference...%n",
        options.getDriftWindowMinutes());
    if (!PipelineRuns.runToCompletion(pipeline)) {
      out.println("streamml drift: the runner prepared the job without running it.");
      return false;
    }
    printResults(options, EventInputs.useCaseSpec(options), out);
    return true;
  }
}
