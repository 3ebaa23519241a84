package io.streamml.transforms.scoring;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import io.streamml.transforms.testing.PipelineCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Real XGBoost models on the fraud spec's features and feature vectors to score with them: random
 * features (about 5% missing) and a label that depends on two of them, so scores spread out.
 */
public final class ScoringFixtures {

  public static final UseCaseSpec SPEC = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
  public static final List<String> FEATURES = SPEC.features().names();
  public static final Schema VECTOR_SCHEMA = FeatureVector.schema(SPEC);
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private ScoringFixtures() {}

  /** {@code n} vectors, keys {@code card-0..9}, event ids {@code e<i>}, one second apart. */
  public static List<Row> vectors(int n, long seed) {
    Random random = new Random(seed);
    Schema features = VECTOR_SCHEMA.getField(FeatureVector.FEATURES).getType().getRowSchema();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Row.Builder values = Row.withSchema(features);
      for (int j = 0; j < FEATURES.size(); j++) {
        values.addValue(random.nextDouble() < 0.05 ? null : random.nextGaussian() * (j + 1));
      }
      rows.add(
          Row.withSchema(VECTOR_SCHEMA)
              .addValues(
                  "card-" + (i % 10),
                  "e" + i,
                  START.plus(1000L * i),
                  (double) (i % 2),
                  values.build())
              .build());
    }
    return rows;
  }

  /** Dense float features of {@code vectors} in the model's order (null = NaN). */
  public static float[] dense(List<Row> vectors) {
    float[] values = new float[vectors.size() * FEATURES.size()];
    for (int i = 0; i < vectors.size(); i++) {
      Row features = vectors.get(i).getRow(FeatureVector.FEATURES);
      for (int j = 0; j < FEATURES.size(); j++) {
        Double value = features.getDouble(FEATURES.get(j));
        values[i * FEATURES.size() + j] = value == null ? Float.NaN : value.floatValue();
      }
    }
    return values;
  }

  /** A booster of {@code rounds} trees; {@code flip} trains the opposite label (other scores). */
  public static Booster train(int rounds, boolean flip) throws Exception {
    List<Row> rows = vectors(2000, 7);
    float[] x = dense(rows);
    float[] y = new float[rows.size()];
    int d = FEATURES.size();
    for (int i = 0; i < rows.size(); i++) {
      float signal = nan0(x[i * d]) + nan0(x[i * d + 3]) / 4;
      y[i] = (signal > 1.2f) ^ flip ? 1f : 0f;
    }
    DMatrix matrix = new DMatrix(x, rows.size(), d, Float.NaN);
    try {
      matrix.setLabel(y);
      Map<String, Object> params = new HashMap<>();
      params.put("objective", "binary:logistic");
      params.put("max_depth", 4);
      params.put("eta", 0.3);
      params.put("nthread", 1);
      params.put("seed", 1);
      return XGBoost.train(matrix, params, rounds, new HashMap<>(), null, null);
    } finally {
      matrix.dispose();
    }
  }

  private static float nan0(float v) {
    return Float.isNaN(v) ? 0 : v;
  }

  public static ModelBundle bundle(Booster booster, double threshold) throws Exception {
    return new ModelBundle(
        booster.toByteArray("json"),
        FEATURES,
        SPEC,
        Map.of("auc", 0.9),
        threshold,
        START,
        START.plus(3_600_000));
  }

  /** xgboost4j's own batch prediction for the vectors: the reference scores. */
  public static float[] reference(Booster booster, List<Row> vectors) throws Exception {
    DMatrix matrix = new DMatrix(dense(vectors), vectors.size(), FEATURES.size(), Float.NaN);
    try {
      float[][] out = booster.predict(matrix);
      float[] scores = new float[out.length];
      for (int i = 0; i < out.length; i++) {
        scores[i] = out[i][0];
      }
      return scores;
    } finally {
      matrix.dispose();
    }
  }

  /** Registers {@code booster} in the registry at {@code root}; returns the version. */
  public static String register(String root, Booster booster, double threshold) throws Exception {
    return ModelRegistry.at(root).register(bundle(booster, threshold));
  }

  /** The sum over steps of a scoring counter of a finished (or cancelled) run. */
  static long counter(PipelineResult result, String name) {
    return PipelineCounters.sum(result, ScoreWithXGBoost.METRICS_NAMESPACE, name);
  }

  /** For live tests: fixture vector i (of {@code rows}) for the tick at start + i ticks. */
  static final class TickToVectorFn extends DoFn<Instant, Row> {
    private final Instant start;
    private final long tickMillis;
    private final int rows;
    private transient List<Row> vectors;

    TickToVectorFn(Instant start, long tickMillis, int rows) {
      this.start = start;
      this.tickMillis = tickMillis;
      this.rows = rows;
    }

    @Setup
    public void setup() {
      vectors = vectors(rows, 3);
    }

    @ProcessElement
    public void process(@Element Instant tick, OutputReceiver<Row> out) {
      int i = (int) ((tick.getMillis() - start.getMillis()) / tickMillis);
      if (i < rows) {
        out.output(vectors.get(i));
      }
    }
  }
}
