package io.streamml.pipelines;

import io.streamml.pipelines.options.BenchOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.scoring.ScoreWithXGBoost;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Rows scored per second: {@link ScoreWithXGBoost} on the chosen runner against raw xgboost4j batch
 * prediction of the same rows with the same model, in the same run. The model has {@code --trees}
 * trees on the fraud features; its threshold flags about 1% of rows, whose contributions the
 * transform also computes (the raw side predicts only). Not a test: it checks only that the
 * pipeline scored every row.
 */
public final class BenchScorePipeline {

  static final String NAMESPACE = "streamml.bench";
  private static final String SCORED = "scored";
  private static final String SEEN_AT = "scored_at_millis";
  static final UseCaseSpec SPEC = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
  // Looked up once: FeatureSetSpec.names() builds a new list, which showed in profiles per row.
  private static final int FEATURES = SPEC.features().names().size();

  /** The benchmark's flags. */
  public interface Options extends ScoringOptions, BenchOptions {
    @Description("Rows to score.")
    @Default.Long(2_000_000L)
    Long getRows();

    void setRows(Long value);

    @Description("Trees in the benchmark's model.")
    @Default.Integer(100)
    Integer getTrees();

    void setTrees(Integer value);
  }

  private BenchScorePipeline() {}

  /** Row {@code i}'s features: the same on the raw side and in the pipeline. */
  static float[] features(long i) {
    SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
    float[] values = new float[FEATURES];
    for (int j = 0; j < values.length; j++) {
      values[j] = random.nextInt(20) == 0 ? Float.NaN : (float) (random.nextDouble() * (j + 1));
    }
    return values;
  }

  /** Runs both sides and prints the table; returns the pipeline rate / raw rate ratio. */
  public static double run(Options options, PrintStream out) throws Exception {
    long rows = options.getRows();
    int batch = options.getMaxBatchSize();
    if (rows < 1 || batch < 1 || options.getTrees() < 1) {
      throw new IllegalArgumentException("--rows, --maxBatchSize and --trees must be at least 1");
    }
    int d = SPEC.features().names().size();
    out.printf("training a %d-tree model on the %s features...%n", options.getTrees(), SPEC.name());
    Booster booster = train(options.getTrees(), d);
    double threshold;
    double rawSeconds;
    try {
      out.printf("raw xgboost4j: %d rows in batches of %d...%n", rows, batch);
      long start = System.nanoTime();
      float[] scores = rawScores(booster, rows, batch, d);
      rawSeconds = (System.nanoTime() - start) / 1e9;
      float[] sorted = scores.clone();
      Arrays.sort(sorted);
      threshold = sorted[(int) (sorted.length * 0.99)];
      String bundle = writeBundle(booster, threshold);

      out.printf("running the pipeline on %s...%n", options.getRunner().getSimpleName());
      Pipeline pipeline = Pipeline.create(options);
      pipeline
          .apply("GenerateVectors", generatedVectors(rows))
          .apply("ScoreWithXGBoost", ScoringStages.transform(options, bundle))
          .output()
          .apply("CountScores", ParDo.of(new CountFn()));
      long pipelineStart = System.nanoTime();
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      double pipelineSeconds = (System.nanoTime() - pipelineStart) / 1e9;
      print(options, out, rows, rawSeconds, pipelineSeconds, result);
      return (rows / pipelineSeconds) / (rows / rawSeconds);
    } finally {
      booster.dispose();
    }
  }

  private static void print(
      Options options,
      PrintStream out,
      long rows,
      double rawSeconds,
      double pipelineSeconds,
      PipelineResult result) {
    long scored = -1;
    double activeSeconds = Double.NaN;
    try {
      MetricQueryResults metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(NAMESPACE))
                      .build());
      scored = sum(metrics.getCounters());
      for (MetricResult<DistributionResult> seen : metrics.getDistributions()) {
        DistributionResult at = seen.getAttempted();
        activeSeconds = (at.getMax() - at.getMin()) / 1e3;
      }
    } catch (UnsupportedOperationException e) {
      // The runner reports no metrics; the wall-clock rate still stands.
    }
    double rawRate = rows / rawSeconds;
    double pipelineRate = rows / pipelineSeconds;
    out.printf(
        "%n%-40s %12s %10s %14s%n",
        "scoring (" + options.getTrees() + " trees)", "rows", "seconds", "rows/s");
    out.printf(
        "%-40s %12d %10.2f %14.0f%n", "raw xgboost4j batch predict", rows, rawSeconds, rawRate);
    out.printf(
        "%-40s %12d %10.2f %14.0f%n",
        "pipeline on " + options.getRunner().getSimpleName(),
        scored,
        pipelineSeconds,
        pipelineRate);
    out.printf(
        "pipeline / raw: %.3f (pipeline time includes job start-up)%n", pipelineRate / rawRate);
    if (!Double.isNaN(activeSeconds) && activeSeconds > 0) {
      out.printf(
          "pipeline / raw while scoring: %.3f (first to last scoring bundle, %.2f s)%n",
          (rows / activeSeconds) / rawRate, activeSeconds);
    }
    if (scored >= 0 && scored != rows) {
      throw new IllegalStateException("the pipeline scored " + scored + " of " + rows + " rows");
    }
  }

  /** Rows the pipeline's {@link CountFn} saw, or -1 if the runner reports no metrics. */
  static long scoredCount(PipelineResult result) {
    try {
      return sum(
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(NAMESPACE, SCORED))
                      .build())
              .getCounters());
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  private static long sum(Iterable<MetricResult<Long>> counters) {
    long total = 0;
    for (MetricResult<Long> counter : counters) {
      total += counter.getAttempted();
    }
    return total;
  }

  static Booster train(int trees, int d) throws Exception {
    int n = 20_000;
    float[] x = new float[n * d];
    float[] y = new float[n];
    SplittableRandom noise = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      float[] row = features(-1 - i);
      System.arraycopy(row, 0, x, i * d, d);
      float signal = (Float.isNaN(row[0]) ? 0 : row[0]) + (Float.isNaN(row[3]) ? 0 : row[3] / 4);
      y[i] = signal + noise.nextDouble() > 1.6 ? 1 : 0;
    }
    DMatrix matrix = new DMatrix(x, n, d, Float.NaN);
    try {
      matrix.setLabel(y);
      Map<String, Object> params = new HashMap<>();
      params.put("objective", "binary:logistic");
      params.put("max_depth", 6);
      params.put("eta", 0.1);
      params.put("seed", 1);
      return XGBoost.train(matrix, params, trees, new HashMap<>(), null, null);
    } finally {
      matrix.dispose();
    }
  }

  /** Writes {@code booster} as a model bundle on the fraud features in a new temporary folder. */
  static String writeBundle(Booster booster, double threshold) throws Exception {
    String bundle = Files.createTempDirectory("streamml-bench").resolve("v0001").toString();
    new ModelBundle(
            booster.toByteArray("json"),
            SPEC.features().names(),
            SPEC,
            Map.of(),
            threshold,
            new Instant(0),
            new Instant(0))
        .writeTo(bundle);
    return bundle;
  }

  /** Raw batch prediction, batch by batch as the transform does (best of in-place and DMatrix). */
  private static float[] rawScores(Booster booster, long rows, int batch, int d) throws Exception {
    float[] scores = new float[(int) rows];
    float[] values = new float[batch * d];
    for (long from = 0; from < rows; from += batch) {
      int n = (int) Math.min(batch, rows - from);
      for (int i = 0; i < n; i++) {
        System.arraycopy(features(from + i), 0, values, i * d, d);
      }
      float[][] out = booster.inplace_predict(values, n, d, Float.NaN);
      for (int i = 0; i < n; i++) {
        scores[(int) from + i] = out[i][0];
      }
    }
    return scores;
  }

  /**
   * Rows 0..n-1 made in a DoFn from a few range seeds, not read from a source: on Flink, Beam 2.62
   * snapshots every metric after each record a source reads, which was a third of the Java time of
   * this benchmark in a JFR profile and is not what it measures.
   */
  static PTransform<PBegin, PCollection<Row>> generatedVectors(long rows) {
    return new PTransform<PBegin, PCollection<Row>>() {
      @Override
      public PCollection<Row> expand(PBegin input) {
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < SEEDS; s++) {
          seeds.add(s);
        }
        return input
            .apply("RangeSeeds", Create.of(seeds))
            .apply("MakeVectors", ParDo.of(new RangeFn(rows)))
            .setRowSchema(FeatureVector.schema(SPEC));
      }
    };
  }

  private static final int SEEDS = 16;

  /** Seed s makes the rows of its share of 0..rows-1, each from {@link #features}. */
  private static final class RangeFn extends DoFn<Long, Row> {
    private final long rows;
    private transient Schema schema;
    private transient Schema featureSchema;

    RangeFn(long rows) {
      this.rows = rows;
    }

    @Setup
    public void setup() {
      schema = FeatureVector.schema(SPEC);
      featureSchema = FeatureVector.featuresSchema(SPEC.features());
    }

    @ProcessElement
    public void process(@Element Long seed, OutputReceiver<Row> out) {
      long share = (rows + SEEDS - 1) / SEEDS;
      for (long i = seed * share; i < Math.min(rows, (seed + 1) * share); i++) {
        out.output(vector(i));
      }
    }

    private Row vector(long i) {
      float[] values = features(i);
      Object[] features = new Object[values.length];
      for (int j = 0; j < values.length; j++) {
        features[j] = Float.isNaN(values[j]) ? null : (double) values[j];
      }
      // attachValues, not build(): the values have the schema's types already, and build()'s
      // checks of a nested row cost more than scoring it (JFR on Flink, Beam 2.62). The input is
      // not what this benchmark measures.
      return Row.withSchema(schema)
          .attachValues(
              "k" + (i % 1000),
              null,
              new Instant(i),
              null,
              Row.withSchema(featureSchema).attachValues(features));
    }
  }

  static final class CountFn extends DoFn<Row, Void> {
    private final Counter scored = Metrics.counter(NAMESPACE, SCORED);
    private final Distribution seenAt = Metrics.distribution(NAMESPACE, SEEN_AT);
    private long count;

    @StartBundle
    public void start() {
      count = 0;
      seenAt.update(System.currentTimeMillis());
    }

    @ProcessElement
    public void process() {
      count++;
    }

    @FinishBundle
    public void finish() {
      scored.inc(count);
      seenAt.update(System.currentTimeMillis());
    }
  }
}
