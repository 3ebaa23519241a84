package io.streamml.transforms.scoring;

import io.streamml.jmh.SimulatedFraud;
import io.streamml.schemas.FeatureVector;
import io.streamml.transforms.features.FeatureLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.values.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A batch of 1,000 fraud feature vectors copied into the dense float matrix XGBoost predicts on, in
 * the model's feature order, as {@code BatchScorer} does before each prediction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchAssemblyBenchmark {

  private static final int BATCH = 1000;

  private FeatureLayout layout;
  private int[] indexes;
  private List<Row> vectors;
  private float[] values;

  @Setup
  public void setUp() {
    vectors = new ArrayList<>();
    FeatureLoop.computeAll(SimulatedFraud.SPEC, SimulatedFraud.events(BATCH), vectors::add);
    layout = new FeatureLayout(FeatureVector.schema(SimulatedFraud.SPEC));
    indexes = layout.indexes(SimulatedFraud.SPEC.features().names());
    values = new float[BATCH * indexes.length];
  }

  @Benchmark
  public float[] fillOneBatch() {
    for (int i = 0; i < vectors.size(); i++) {
      layout.fill(vectors.get(i), indexes, values, i * indexes.length);
    }
    return values;
  }
}
