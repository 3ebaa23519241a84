package io.streamml.pipelines;

import io.streamml.pipelines.options.BenchOptions;
import io.streamml.pipelines.options.SimulatorOptions;
import io.streamml.pipelines.options.UseCaseOptions;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.features.FeatureLoop;
import io.streamml.transforms.features.WindowedFeatures;
import io.streamml.transforms.ingest.ParseEvents;
import io.streamml.transforms.ingest.ReadEvents;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.Row;

/**
 * Features per second: simulate → parse → features on the chosen runner, against the ceiling of a
 * plain single-threaded Java loop that parses the same records and computes the same features
 * ({@link FeatureLoop}), measured in the same run. Not a test: it asserts only that both produce
 * the same number of vectors.
 */
public final class BenchFeaturesPipeline {

  private static final String NAMESPACE = "streamml.bench";
  private static final String VECTORS = "vectors";

  /** The benchmark's flags. */
  public interface Options extends UseCaseOptions, SimulatorOptions, BenchOptions {}

  private BenchFeaturesPipeline() {}

  /** Runs both sides and prints the table; returns the pipeline rate / loop rate ratio. */
  public static double run(Options options, PrintStream out) {
    UseCaseSpec spec = EventInputs.useCaseSpec(options);
    SimulatorConfig config = EventInputs.simulatorConfig(options, spec, 0.0);
    if (!config.isBounded()) {
      throw new IllegalArgumentException("bench-features needs a bounded run: --events=N");
    }
    long events = config.numEvents();

    out.printf("generating %d %s records for the loop...%n", events, spec.name());
    List<String> records = new SimulatedEventSource(config).records(events);
    long loopStart = System.nanoTime();
    long loopVectors = loop(spec, records);
    double loopSeconds = (System.nanoTime() - loopStart) / 1e9;

    out.printf("running the pipeline on %s...%n", options.getRunner().getSimpleName());
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("ReadEvents", ReadEvents.fromSimulator(config))
        .apply("ParseEvents", ParseEvents.of(spec))
        .output()
        .apply("ExtractFeatures", WindowedFeatures.of(spec))
        .output()
        .apply("CountVectors", ParDo.of(new CountFn()));
    long pipelineStart = System.nanoTime();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    double pipelineSeconds = (System.nanoTime() - pipelineStart) / 1e9;
    long pipelineVectors = counted(result);

    double loopRate = events / loopSeconds;
    double pipelineRate = events / pipelineSeconds;
    out.printf(
        "%n%-34s %12s %10s %14s%n",
        "features (" + spec.name() + ")", "vectors", "seconds", "events/s");
    out.printf(
        "%-34s %12d %10.2f %14.0f%n",
        "plain Java loop (1 thread)", loopVectors, loopSeconds, loopRate);
    out.printf(
        "%-34s %12d %10.2f %14.0f%n",
        "pipeline on " + options.getRunner().getSimpleName(),
        pipelineVectors,
        pipelineSeconds,
        pipelineRate);
    out.printf(
        "pipeline / loop: %.3f (pipeline time includes job start-up)%n", pipelineRate / loopRate);
    if (pipelineVectors >= 0 && pipelineVectors != loopVectors) {
      throw new IllegalStateException(
          "the pipeline made " + pipelineVectors + " vectors, the loop " + loopVectors);
    }
    return pipelineRate / loopRate;
  }

  private static long loop(UseCaseSpec spec, List<String> records) {
    RowJsonCodec codec = RowJsonCodec.of(spec.eventSchema());
    List<Row> rows = new ArrayList<>(records.size());
    for (String record : records) {
      rows.add(codec.parse(record));
    }
    long[] count = {0};
    FeatureLoop.computeAll(spec, rows, vector -> count[0]++);
    return count[0];
  }

  /** Vectors counted by the pipeline's metric, or -1 if the runner reports no metrics. */
  private static long counted(PipelineResult result) {
    try {
      MetricQueryResults metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(NAMESPACE, VECTORS))
                      .build());
      long total = 0;
      for (MetricResult<Long> counter : metrics.getCounters()) {
        total += counter.getAttempted();
      }
      return total;
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  private static final class CountFn extends DoFn<Row, Void> {
    private final Counter vectors = Metrics.counter(NAMESPACE, VECTORS);

    @ProcessElement
    public void process() {
      vectors.inc();
    }
  }
}
