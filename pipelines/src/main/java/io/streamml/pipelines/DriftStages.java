package io.streamml.pipelines;

import io.streamml.pipelines.options.DriftOptions;
import io.streamml.pipelines.options.OutputOptions;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.drift.AttachSegment;
import io.streamml.transforms.drift.CompareWithPreviousWindow;
import io.streamml.transforms.drift.ComputeDrift;
import io.streamml.transforms.drift.DetectRetrainTriggers;
import io.streamml.transforms.drift.JudgeDatasetDrift;
import io.streamml.transforms.drift.MeasurePerformance;
import io.streamml.transforms.drift.ReferenceProfile;
import io.streamml.transforms.drift.RetrainPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.transforms.DropFields;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * The drift steps of any pipeline that has events, their feature vectors and the model's scores
 * ({@code drift}, and {@code demo --drift}): segment (if asked), profile, compare, judge the
 * dataset, measure model quality from labels (if given), detect retrain triggers, and write each as
 * JSON lines under {@code --output/drift/}. Step names are those of {@code drift}.
 */
final class DriftStages {

  private DriftStages() {}

  /** What the drift steps produce that a pipeline may send on (to Kafka, say). */
  static final class Outputs {
    final PCollection<Row> metrics;
    final PCollection<Row> triggers;

    /** Dead letters of label files (none without them). */
    final List<PCollection<Row>> deadLetters;

    Outputs(
        PCollection<Row> metrics, PCollection<Row> triggers, List<PCollection<Row>> deadLetters) {
      this.metrics = metrics;
      this.triggers = triggers;
      this.deadLetters = deadLetters;
    }
  }

  /** Adds the steps and returns the metrics, the retrain triggers and label dead letters. */
  static <T extends DriftOptions & OutputOptions> Outputs measure(
      Pipeline pipeline,
      T options,
      UseCaseSpec spec,
      PCollection<Row> parsedEvents,
      PCollection<Row> events,
      PCollection<Row> featureVectors,
      PCollection<Row> scoreRows,
      ReferenceProfile reference) {
    DriftSettings settings = DriftSettings.of(options, spec.drift());
    String segment = settings.segmentField();
    PCollection<Row> vectors = featureVectors;
    PCollection<Row> scores = scoreRows;
    if (segment != null) {
      AttachSegment attach =
          AttachSegment.of(
              spec, segment, Duration.standardMinutes(options.getDriftWindowMinutes()));
      vectors =
          PCollectionTuple.of(AttachSegment.ROWS, vectors)
              .and(AttachSegment.EVENTS, events)
              .apply("AttachSegmentToFeatures", attach);
      scores =
          PCollectionTuple.of(AttachSegment.ROWS, scores)
              .and(AttachSegment.EVENTS, events)
              .apply("AttachSegmentToScores", attach);
    }
    PCollection<Row> profiles =
        PCollectionList.of(DriftPipeline.measureDrift(vectors, reference, options, segment, false))
            .and(DriftPipeline.measureDrift(scores, reference, options, segment, true))
            .and(DriftPipeline.measureCategoryDrift(events, reference, options, segment))
            .apply("CollectProfiles", Flatten.pCollections());
    PCollection<Row> metrics =
        profiles.apply(
            "ComputeDrift", ComputeDrift.against(reference).withThresholds(settings.thresholds()));
    // The sketch bytes stay in the pipeline; the files carry the readable profile.
    DriftPipeline.writeInGlobalWindow(
        profiles.apply("DropSketches", DropFields.fields("quantile_sketch")),
        "WriteProfiles",
        DriftPipeline.profilesPrefix(options));
    DriftPipeline.writeInGlobalWindow(
        metrics, "WriteDriftMetrics", DriftPipeline.metricsPrefix(options));
    if (options.getComparePreviousWindow()) {
      int periodMinutes =
          options.getDriftSlideMinutes() > 0
              ? options.getDriftSlideMinutes()
              : options.getDriftWindowMinutes();
      DriftPipeline.writeInGlobalWindow(
          profiles.apply(
              "CompareWithPreviousWindow",
              CompareWithPreviousWindow.of(reference, Duration.standardMinutes(periodMinutes))
                  .withThresholds(settings.thresholds())),
          "WritePreviousWindowDrift",
          DriftPipeline.previousWindowPrefix(options));
    }
    DriftPipeline.writeInGlobalWindow(
        metrics.apply("JudgeDatasetDrift", JudgeDatasetDrift.atShare(settings.datasetDriftShare())),
        "WriteDatasetDrift",
        DriftPipeline.datasetDriftPrefix(options));
    RetrainPolicy policy = DriftPipeline.retrainPolicy(options, settings);
    PCollectionList<Row> triggers =
        PCollectionList.of(
            metrics.apply("DetectRetrainTriggers", DetectRetrainTriggers.withPolicy(policy)));
    List<PCollection<Row>> deadLetters = new ArrayList<>();
    if (DriftLabels.requested(options)) {
      PCollection<Row> performance =
          PCollectionTuple.of(MeasurePerformance.SCORES, scoreRows)
              .and(
                  MeasurePerformance.LABELS,
                  DriftLabels.read(pipeline, options, spec, parsedEvents, deadLetters))
              .apply(
                  "MeasurePerformance",
                  MeasurePerformance.perWindow(
                          Duration.standardMinutes(options.getDriftWindowMinutes()))
                      .withMaxLabelDelay(
                          Duration.millis(
                              Math.round(options.getMaxLabelDelayHours() * 3_600_000))));
      DriftPipeline.writeInGlobalWindow(
          performance, "WritePerformance", DriftPipeline.performancePrefix(options));
      if (policy.minAuc() != null) {
        triggers =
            triggers.and(
                performance.apply(
                    "DetectPerformanceDrops", DetectRetrainTriggers.onPerformance(policy)));
      }
    } else if (options.getMinAuc() > 0) {
      throw new IllegalArgumentException(
          "--minAuc needs labels: give --labelFiles=FILES or --labelsFromEvents");
    }
    PCollection<Row> allTriggers =
        triggers.size() == 1
            ? triggers.get(0)
            : triggers.apply("CollectRetrainTriggers", Flatten.pCollections());
    DriftPipeline.writeInGlobalWindow(
        allTriggers, "WriteRetrainTriggers", DriftPipeline.triggersPrefix(options));
    return new Outputs(metrics, allTriggers, deadLetters);
  }
}
