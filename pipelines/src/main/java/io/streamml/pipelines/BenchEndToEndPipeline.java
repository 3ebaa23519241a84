package io.streamml.pipelines;

import io.streamml.pipelines.options.BenchOptions;
import io.streamml.pipelines.options.ScoringOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.transforms.features.FeatureLoop;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.ingest.ReadEvents;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.Row;

/**
 * The whole chain, simulated fraud events → parse → per-event trailing features → XGBoost scores,
 * on the chosen runner, against a plain single-threaded Java loop doing the same parse, the same
 * features ({@link FeatureLoop}) and batch prediction with the same model, in the same run. The
 * model has {@code --trees} trees; its threshold flags about 1% of the loop's rows, whose reasons
 * the pipeline also computes (the loop predicts only, as {@code bench-score}'s ceiling does). The
 * records are generated before the loop's clock starts; the pipeline generates its own. Not a test:
 * it checks only that the pipeline scored every event.
 */
public final class BenchEndToEndPipeline {

  /** The benchmark's flags. */
  public interface Options extends SimulatorOptions, ScoringOptions, BenchOptions {
    @Description("Trees in the benchmark's model.")
    @Default.Integer(100)
    Integer getTrees();

    void setTrees(Integer value);
  }

  private BenchEndToEndPipeline() {}

  /** Runs both sides and prints the table; returns the pipeline rate / loop rate ratio. */
  public static double run(Options options, PrintStream out) throws Exception {
    SimulatorConfig config = EventInputs.simulatorConfig(options, BenchScorePipeline.SPEC, 0.0);
    if (!config.isBounded()) {
      throw new IllegalArgumentException("bench-pipeline needs a bounded run: --events=N");
    }
    if (options.getTrees() < 1 || options.getMaxBatchSize() < 1) {
      throw new IllegalArgumentException("--trees and --maxBatchSize must be at least 1");
    }
    long events = config.numEvents();
    List<String> names = BenchScorePipeline.SPEC.features().names();
    out.printf("training a %d-tree model on the fraud features...%n", options.getTrees());
    Booster booster = BenchScorePipeline.train(options.getTrees(), names.size());
    try {
      out.printf("generating %d fraud records for the loop...%n", events);
      List<String> records = new SimulatedEventSource(config).records(events);
      long loopStart = System.nanoTime();
      float[] scores = loop(records, booster, names, options.getMaxBatchSize());
      double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
      // The pipeline makes its own records: free the loop's before the heap is watched.
      records = null;
      System.gc();
      float[] sorted = scores.clone();
      Arrays.sort(sorted);
      double threshold = sorted[(int) (sorted.length * 0.99)];
      String bundle = BenchScorePipeline.writeBundle(booster, threshold);

      out.printf("running the pipeline on %s...%n", options.getRunner().getSimpleName());
      Pipeline pipeline = Pipeline.create(options);
      pipeline
          .apply("ReadEvents", ReadEvents.fromSimulator(config))
          .apply("ParseEvents", ParseEvents.of(BenchScorePipeline.SPEC))
          .output()
          .apply("ExtractFeatures", WindowedFeatures.of(BenchScorePipeline.SPEC))
          .output()
          .apply("ScoreWithXGBoost", ScoringStages.transform(options, bundle))
          .output()
          .apply("CountScores", ParDo.of(new BenchScorePipeline.CountFn()));
      HeapPeak heap = HeapPeak.start();
      long pipelineStart = System.nanoTime();
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      double pipelineSeconds = (System.nanoTime() - pipelineStart) / 1e9;
      long peakHeapMb = heap.stopMb();
      long scored = BenchScorePipeline.scoredCount(result);

      double loopRate = events / loopSeconds;
      double pipelineRate = events / pipelineSeconds;
      out.printf(
          "%n%-44s %12s %10s %14s%n",
          "parse + features + score (" + options.getTrees() + " trees)",
          "scores",
          "seconds",
          "events/s");
      out.printf(
          "%-44s %12d %10.2f %14.0f%n",
          "plain Java loop (1 thread)", scores.length, loopSeconds, loopRate);
      out.printf(
          "%-44s %12d %10.2f %14.0f%n",
          "pipeline on " + options.getRunner().getSimpleName(),
          scored,
          pipelineSeconds,
          pipelineRate);
      out.printf(
          "pipeline / loop: %.3f (pipeline time includes job start-up)%n", pipelineRate / loopRate);
      out.printf(
          "peak heap in use while the pipeline ran: %d MiB (%s cards; in-process runners only)%n",
          peakHeapMb, config.entities() == 0 ? "the simulator's default" : config.entities());
      if (scored >= 0 && scored != scores.length) {
        throw new IllegalStateException(
            "the pipeline scored " + scored + " events, the loop " + scores.length);
      }
      return pipelineRate / loopRate;
    } finally {
      booster.dispose();
    }
  }

  /** Parse, features and batch predict, one thread, no Beam; returns every vector's score. */
  private static float[] loop(
      List<String> records, Booster booster, List<String> names, int batchSize) throws Exception {
    RowJsonCodec codec = RowJsonCodec.of(BenchScorePipeline.SPEC.eventSchema());
    List<Row> rows = new ArrayList<>(records.size());
    for (String record : records) {
      rows.add(codec.parse(record));
    }
    int d = names.size();
    int[] index = new int[d];
    for (int j = 0; j < d; j++) {
      index[j] =
          FeatureVector.featuresSchema(BenchScorePipeline.SPEC.features()).indexOf(names.get(j));
    }
    float[] batch = new float[batchSize * d];
    float[] scores = new float[records.size()];
    int[] filled = {0};
    int[] done = {0};
    Exception[] failure = {null};
    FeatureLoop.computeAll(
        BenchScorePipeline.SPEC,
        rows,
        vector -> {
          Row features = vector.getRow(FeatureVector.FEATURES);
          for (int j = 0; j < d; j++) {
            Object value = features.getValue(index[j]);
            batch[filled[0] * d + j] = value == null ? Float.NaN : ((Number) value).floatValue();
          }
          if (++filled[0] == batchSize) {
            done[0] = predict(booster, batch, filled[0], d, scores, done[0], failure);
            filled[0] = 0;
          }
        });
    if (filled[0] > 0) {
      done[0] = predict(booster, batch, filled[0], d, scores, done[0], failure);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return Arrays.copyOf(scores, done[0]);
  }

  private static int predict(
      Booster booster, float[] batch, int n, int d, float[] scores, int done, Exception[] failure) {
    try {
      float[][] out = booster.inplace_predict(batch, n, d, Float.NaN);
      for (int i = 0; i < n; i++) {
        scores[done + i] = out[i][0];
      }
    } catch (Exception e) {
      failure[0] = e;
    }
    return done + n;
  }

  /** The most heap in use, sampled every 50 ms: what a job of this many keys costs in memory. */
  private static final class HeapPeak {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peak;

    private HeapPeak() {
      sampler =
          new Thread(
              () -> {
                Runtime runtime = Runtime.getRuntime();
                while (running) {
                  peak = Math.max(peak, runtime.totalMemory() - runtime.freeMemory());
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-heap-peak");
      sampler.setDaemon(true);
    }

    static HeapPeak start() {
      HeapPeak heap = new HeapPeak();
      heap.sampler.start();
      return heap;
    }

    long stopMb() throws InterruptedException {
      running = false;
      sampler.join();
      return peak / (1024 * 1024);
    }
  }
}
