package io.streamml.pipelines;

import io.streamml.schemas.FeatureVector;
import io.streamml.transforms.drift.ProfileWindow;
import io.streamml.transforms.drift.ReferenceProfile;
import io.streamml.transforms.model.ModelBundle;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Rows profiled per second against rows scored per second, on the chosen runner, in the same run:
 * the same generated fraud feature vectors (those of {@code bench-score}) go through {@link
 * ProfileWindow} (every feature, one-hour event-time windows, reference bins from the model's
 * training rows) in one job and through ScoreWithXGBoost in another. Profiling should not be the
 * bottleneck of a scoring pipeline: the ratio says how many times faster it is. Not a test.
 */
public final class BenchDriftPipeline {

  /** The benchmark's flags. */
  public interface Options extends BenchScorePipeline.Options {}

  private static final int REFERENCE_ROWS = 20_000;

  private BenchDriftPipeline() {}

  /** Runs both jobs and prints the table; returns profiling rate / scoring rate. */
  public static double run(Options options, PrintStream out) throws Exception {
    long rows = options.getRows();
    if (rows < 1 || options.getTrees() < 1) {
      throw new IllegalArgumentException("--rows and --trees must be at least 1");
    }
    List<String> names = BenchScorePipeline.SPEC.features().names();
    int d = names.size();
    out.printf("training a %d-tree model on the fraud features...%n", options.getTrees());
    Booster booster = BenchScorePipeline.train(options.getTrees(), d);
    String bundle;
    ReferenceProfile reference;
    try {
      float[] values = new float[REFERENCE_ROWS * d];
      for (int i = 0; i < REFERENCE_ROWS; i++) {
        System.arraycopy(BenchScorePipeline.features(-1 - i), 0, values, i * d, d);
      }
      float[][] predicted = booster.inplace_predict(values, REFERENCE_ROWS, d, Float.NaN);
      float[] scores = new float[REFERENCE_ROWS];
      for (int i = 0; i < REFERENCE_ROWS; i++) {
        scores[i] = predicted[i][0];
      }
      reference = ReferenceProfile.compute(names, values, scores, ReferenceProfile.DEFAULT_BINS);
      bundle = Files.createTempDirectory("streamml-bench-drift").resolve("v0001").toString();
      new ModelBundle(
              booster.toByteArray("json"),
              names,
              BenchScorePipeline.SPEC,
              Map.of(),
              0.5,
              new Instant(0),
              new Instant(0))
          .writeTo(bundle);
    } finally {
      booster.dispose();
    }
    String runner = options.getRunner().getSimpleName();
    out.printf("profiling %d rows on %s...%n", rows, runner);
    Pipeline profiling = Pipeline.create(options);
    vectors(profiling, rows)
        .apply("ProfileFeatureWindows", ProfileWindow.of(reference, Duration.standardHours(1)))
        .apply("CountProfiles", ParDo.of(new BenchScorePipeline.CountFn()));
    double profileSeconds = timed(profiling);

    out.printf("scoring %d rows on %s...%n", rows, runner);
    Pipeline scoring = Pipeline.create(options);
    vectors(scoring, rows)
        .apply("ScoreWithXGBoost", ScoringStages.transform(options, bundle))
        .output()
        .apply("CountScores", ParDo.of(new BenchScorePipeline.CountFn()));
    double scoreSeconds = timed(scoring);

    double profileRate = rows / profileSeconds;
    double scoreRate = rows / scoreSeconds;
    out.printf("%n%-44s %12s %10s %14s%n", "on " + runner, "rows", "seconds", "rows/s");
    out.printf(
        "%-44s %12d %10.2f %14.0f%n",
        "profile " + d + " features (ProfileWindow)", rows, profileSeconds, profileRate);
    out.printf(
        "%-44s %12d %10.2f %14.0f%n",
        "score (" + options.getTrees() + " trees, ScoreWithXGBoost)",
        rows,
        scoreSeconds,
        scoreRate);
    out.printf(
        "profiling / scoring: %.2f (each job's time includes its start-up)%n",
        profileRate / scoreRate);
    return profileRate / scoreRate;
  }

  /** The generated vectors, timestamped at their feature time (rows spread over ~3 windows). */
  private static PCollection<Row> vectors(Pipeline pipeline, long rows) {
    long spacingMillis = Math.max(1, 3 * 3_600_000L / rows);
    return pipeline
        .apply("GenerateVectors", BenchScorePipeline.generatedVectors(rows))
        .apply(
            "StampFeatureTime",
            ParDo.of(
                new DoFn<Row, Row>() {
                  @ProcessElement
                  public void process(@Element Row row, OutputReceiver<Row> out) {
                    long i = row.getDateTime(FeatureVector.FEATURE_TIME).getMillis();
                    out.outputWithTimestamp(row, new Instant(i * spacingMillis));
                  }
                }))
        .setRowSchema(FeatureVector.schema(BenchScorePipeline.SPEC));
  }

  private static double timed(Pipeline pipeline) {
    long start = System.nanoTime();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    try {
      long counted = 0;
      for (MetricResult<Long> c :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(BenchScorePipeline.NAMESPACE))
                      .build())
              .getCounters()) {
        counted += c.getAttempted();
      }
      if (counted == 0) {
        throw new IllegalStateException("the job produced nothing");
      }
    } catch (UnsupportedOperationException e) {
      // The runner reports no metrics; the wall-clock time still stands.
    }
    return seconds;
  }
}
