package io.streamml.transforms.scoring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.streamml.schemas.DeadLetter;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.Reason;
import io.streamml.schemas.Score;
import io.streamml.transforms.testing.RunnerCapabilities;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.UsesAttemptedMetrics;
import org.apache.beam.sdk.testing.UsesCounterMetrics;
import org.apache.beam.sdk.testing.UsesDistributionMetrics;
import org.apache.beam.sdk.testing.UsesOnWindowExpiration;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Scores from the transform against xgboost4j's own batch prediction of the same rows and model,
 * for every input shape and batching mode; rows it dead-letters; its metrics. Runs on Direct here
 * and on Flink and Spark in integration-tests. The errors met before data flows are in {@link
 * ScoreWithXGBoostLaunchErrorsTest}.
 */
@RunWith(JUnit4.class)
public class ScoreWithXGBoostTest {

  private static final double THRESHOLD = 0.5;
  private static final int ROWS = 600;

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  @Rule(order = Integer.MIN_VALUE)
  public final transient RunnerCapabilities capabilities = new RunnerCapabilities();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Booster booster;
  private static String registry;
  private static List<Row> vectors;
  private static HashMap<String, Float> expected;
  private static HashMap<String, List<String>> expectedTopFeatures;

  @BeforeClass
  public static void trainAndRegister() throws Exception {
    booster = ScoringFixtures.train(30, false);
    registry = FOLDER.newFolder("registry").toString();
    ScoringFixtures.register(registry, booster, THRESHOLD);
    vectors = ScoringFixtures.vectors(ROWS, 42);
    float[] scores = ScoringFixtures.reference(booster, vectors);
    float[] dense = ScoringFixtures.dense(vectors);
    DMatrix matrix = new DMatrix(dense, ROWS, ScoringFixtures.FEATURES.size(), Float.NaN);
    float[][] contributions = booster.predictContrib(matrix, 0);
    matrix.dispose();
    expected = new HashMap<>();
    expectedTopFeatures = new HashMap<>();
    for (int i = 0; i < ROWS; i++) {
      String id = vectors.get(i).getString(FeatureVector.EVENT_ID);
      expected.put(id, scores[i]);
      expectedTopFeatures.put(id, top3(contributions[i]));
    }
  }

  @AfterClass
  public static void free() {
    booster.dispose();
    ModelCache.clear();
  }

  private static List<String> top3(float[] contributions) {
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < ScoringFixtures.FEATURES.size(); j++) {
      if (contributions[j] > 0) {
        order.add(j);
      }
    }
    order.sort((a, b) -> Float.compare(contributions[b], contributions[a]));
    List<String> names = new ArrayList<>();
    for (int j : order.subList(0, Math.min(3, order.size()))) {
      names.add(ScoringFixtures.FEATURES.get(j));
    }
    return names;
  }

  private PCollection<Row> input() {
    return pipeline.apply(
        "CreateVectors", Create.of(vectors).withRowSchema(ScoringFixtures.VECTOR_SCHEMA));
  }

  /** Every row scored once, equal to xgboost4j's batch predict, with version and reasons. */
  private static SerializableFunction<Iterable<Row>, Void> matchesReference(
      HashMap<String, Float> expected, HashMap<String, List<String>> topFeatures) {
    return scores -> {
      Map<String, Row> byId = new HashMap<>();
      for (Row score : scores) {
        String id = score.getString(Score.EVENT_ID);
        assertNull("scored twice: " + id, byId.put(id, score));
      }
      assertEquals(expected.keySet(), byId.keySet());
      for (Map.Entry<String, Row> entry : byId.entrySet()) {
        Row score = entry.getValue();
        double value = score.getDouble(Score.SCORE);
        assertEquals(entry.getKey(), expected.get(entry.getKey()), value, 1e-6);
        assertEquals("v0001", score.getString(Score.MODEL_VERSION));
        assertEquals(THRESHOLD, score.getDouble(Score.THRESHOLD), 0);
        Iterable<Row> reasons = score.getIterable(Score.CONTRIBUTIONS);
        if (value >= THRESHOLD) {
          List<String> names = new ArrayList<>();
          reasons.forEach(r -> names.add(r.getString(Reason.FEATURE)));
          assertEquals(entry.getKey(), topFeatures.get(entry.getKey()), names);
        } else {
          assertNull(entry.getKey(), reasons);
        }
      }
      return null;
    };
  }

  @Test
  public void approximateReasonsAreTheTopPathContributions() throws Exception {
    float[][] paths =
        ApproximateContributions.of(booster, ScoringFixtures.FEATURES)
            .of(ScoringFixtures.dense(vectors), ROWS);
    HashMap<String, List<String>> topFeatures = new HashMap<>();
    for (int i = 0; i < ROWS; i++) {
      topFeatures.put(vectors.get(i).getString(FeatureVector.EVENT_ID), top3(paths[i]));
    }
    WithFailures.Result<PCollection<Row>, Row> scored =
        input()
            .apply(
                "Score",
                ScoreWithXGBoost.pinned(registry + "/v0001")
                    .withTopK(3)
                    .withApproximateReasons(true));

    PAssert.that(scored.output()).satisfies(matchesReference(expected, topFeatures));
    PAssert.that(scored.failures()).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void bundleBatchedScoresEqualXGBoostBatchPredict() {
    WithFailures.Result<PCollection<Row>, Row> scored =
        input()
            .apply(
                "Score",
                ScoreWithXGBoost.pinned(registry + "/v0001").withMaxBatchSize(64).withTopK(3));

    PAssert.that(scored.output()).satisfies(matchesReference(expected, expectedTopFeatures));
    PAssert.that(scored.failures()).empty();
    pipeline.run().waitUntilFinish();
  }

  // GroupIntoBatches needs OnWindowExpiration, which Beam's classic Spark runner lacks.
  @Test
  @Category(UsesOnWindowExpiration.class)
  public void crossBundleBatchedScoresEqualXGBoostBatchPredict() {
    WithFailures.Result<PCollection<Row>, Row> scored =
        input()
            .apply(
                "Score",
                ScoreWithXGBoost.fromRegistry(registry)
                    .withMaxBatchSize(100)
                    .withCrossBundleBatching(Duration.standardSeconds(1))
                    .withShards(3));

    PAssert.that(scored.output()).satisfies(matchesReference(expected, expectedTopFeatures));
    PAssert.that(scored.failures()).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void plainRowsAreMatchedToTheModelByFeatureName() {
    // The features as top-level fields, in reverse order, plus an unrelated string field.
    List<String> reversed = new ArrayList<>(ScoringFixtures.FEATURES);
    java.util.Collections.reverse(reversed);
    Schema.Builder builder =
        Schema.builder()
            .addStringField("key")
            .addNullableField("event_id", Schema.FieldType.STRING);
    reversed.forEach(name -> builder.addNullableField(name, Schema.FieldType.DOUBLE));
    Schema plain = builder.addStringField("note").build();
    List<Row> rows = new ArrayList<>();
    for (Row vector : vectors) {
      Row features = vector.getRow(FeatureVector.FEATURES);
      Row.Builder row =
          Row.withSchema(plain)
              .addValue(vector.getString(FeatureVector.KEY))
              .addValue(vector.getString(FeatureVector.EVENT_ID));
      reversed.forEach(name -> row.addValue(features.getDouble(name)));
      rows.add(row.addValue("n/a").build());
    }

    WithFailures.Result<PCollection<Row>, Row> scored =
        pipeline
            .apply("CreatePlainRows", Create.of(rows).withRowSchema(plain))
            .apply("Score", ScoreWithXGBoost.pinned(registry + "/v0001"));

    PAssert.that(scored.output()).satisfies(matchesReference(expected, expectedTopFeatures));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void thresholdOverrideDecidesWhichScoresCarryReasons() {
    WithFailures.Result<PCollection<Row>, Row> scored =
        input()
            .apply(
                "Score",
                ScoreWithXGBoost.pinned(registry + "/v0001").withThreshold(0.999).withTopK(1));

    PAssert.that(scored.output())
        .satisfies(
            scores -> {
              for (Row score : scores) {
                assertEquals(0.999, score.getDouble(Score.THRESHOLD), 0);
                Iterable<Row> reasons = score.getIterable(Score.CONTRIBUTIONS);
                if (score.getDouble(Score.SCORE) >= 0.999) {
                  assertEquals(1, reasons.spliterator().getExactSizeIfKnown());
                } else {
                  assertNull(reasons);
                }
              }
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aModelThatFailsToLoadAtRunTimeDeadLettersItsRows() throws Exception {
    File copy = FOLDER.newFolder();
    Path bundle = copy.toPath().resolve("v0009");
    ScoringFixtures.bundle(booster, THRESHOLD).writeTo(bundle.toString());
    List<Row> few = vectors.subList(0, 20);
    WithFailures.Result<PCollection<Row>, Row> scored =
        pipeline
            .apply("CreateVectors", Create.of(few).withRowSchema(ScoringFixtures.VECTOR_SCHEMA))
            .apply("Score", ScoreWithXGBoost.pinned(bundle.toString()));
    // Launch checked the bundle; now it breaks before the workers load it.
    Files.writeString(bundle.resolve("model.json"), "{\"broken\": true}");

    PAssert.that(scored.output()).empty();
    PAssert.that(scored.failures())
        .satisfies(
            letters -> {
              int n = 0;
              for (Row letter : letters) {
                n++;
                assertEquals(DeadLetter.Stage.SCORE, letter.getString(DeadLetter.STAGE));
                String error = letter.getString(DeadLetter.ERROR);
                assertTrue(error, error.startsWith("cannot load model v0009: "));
                assertTrue(error, error.contains("model.json does not match its manifest"));
                assertTrue(letter.getString(DeadLetter.RAW_PAYLOAD).contains("\"event_id\":\"e"));
              }
              assertEquals(20, n);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  @Category({UsesCounterMetrics.class, UsesDistributionMetrics.class, UsesAttemptedMetrics.class})
  public void metricsCountRowsBatchesBatchSizesAndOneLoadPerVersion() throws Exception {
    // A registry no other test loaded, so its version's load happens in this run.
    String fresh = FOLDER.newFolder().toString();
    ScoringFixtures.register(fresh, booster, THRESHOLD);
    WithFailures.Result<PCollection<Row>, Row> scored =
        input().apply("Score", ScoreWithXGBoost.fromRegistry(fresh).withMaxBatchSize(64));
    PAssert.that(scored.failures()).empty();

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // The Direct runner folds each bundle's attempted metrics in on a background thread, metric
    // by metric, so just after the run one can lag another (seen in CI: 12 batches counted, 10
    // sizes): read them again until they settle, then check.
    Map<String, Long> counters = new HashMap<>();
    Map<String, DistributionResult> distributions = new HashMap<>();
    long deadline = System.currentTimeMillis() + 10_000;
    do {
      readScoringMetrics(result, counters, distributions);
    } while (!settled(counters, distributions)
        && System.currentTimeMillis() < deadline
        && sleptBriefly());
    long batches = counters.get(ScoreWithXGBoost.BATCHES);
    assertEquals(ROWS, (long) counters.get(ScoreWithXGBoost.ROWS_SCORED));
    assertTrue("batches of at most 64: " + batches, batches >= (ROWS + 63) / 64);
    assertTrue("rows are batched: " + batches, batches < ROWS);
    DistributionResult sizes = distributions.get(ScoreWithXGBoost.BATCH_SIZE);
    assertEquals(batches, sizes.getCount());
    assertEquals(ROWS, sizes.getSum());
    assertTrue(sizes.toString(), sizes.getMin() >= 1 && sizes.getMax() <= 64);
    assertEquals(
        "one load per version per JVM", 1L, (long) counters.get(ScoreWithXGBoost.MODEL_LOADS));
    DistributionResult loadMillis = distributions.get(ScoreWithXGBoost.MODEL_LOAD_MILLIS);
    assertEquals(1, loadMillis.getCount());
    assertTrue(loadMillis.toString(), loadMillis.getMin() >= 0);
    assertEquals(0L, (long) counters.getOrDefault(ScoreWithXGBoost.DEAD_LETTERS, 0L));
  }

  private static void readScoringMetrics(
      PipelineResult result,
      Map<String, Long> counters,
      Map<String, DistributionResult> distributions) {
    counters.clear();
    distributions.clear();
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(ScoreWithXGBoost.METRICS_NAMESPACE))
                    .build());
    metrics
        .getCounters()
        .forEach(c -> counters.merge(c.getName().getName(), c.getAttempted(), Long::sum));
    // A metric can be reported by more than one step (or bundle); add them up like the counters.
    metrics
        .getDistributions()
        .forEach(
            d ->
                distributions.merge(
                    d.getName().getName(),
                    d.getAttempted(),
                    (a, b) ->
                        DistributionResult.create(
                            a.getSum() + b.getSum(),
                            a.getCount() + b.getCount(),
                            Math.min(a.getMin(), b.getMin()),
                            Math.max(a.getMax(), b.getMax()))));
  }

  private static boolean settled(
      Map<String, Long> counters, Map<String, DistributionResult> distributions) {
    DistributionResult sizes = distributions.get(ScoreWithXGBoost.BATCH_SIZE);
    Long batches = counters.get(ScoreWithXGBoost.BATCHES);
    return sizes != null
        && batches != null
        && batches == sizes.getCount()
        && Long.valueOf(ROWS).equals(counters.get(ScoreWithXGBoost.ROWS_SCORED))
        && sizes.getSum() == ROWS;
  }

  private static boolean sleptBriefly() {
    try {
      Thread.sleep(50);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  public void aRowWithAnInfiniteFeatureIsDeadLetteredAndTheRestOfItsBatchScored() throws Exception {
    String amount = ScoringFixtures.FEATURES.get(0);
    String other = ScoringFixtures.FEATURES.get(3);
    Map<String, Object[]> changes = new HashMap<>();
    changes.put("e3", new Object[] {amount, Double.POSITIVE_INFINITY});
    changes.put("e7", new Object[] {other, Double.NEGATIVE_INFINITY});
    changes.put("e11", new Object[] {amount, 1e39}); // a double, infinite as a float
    changes.put("e13", new Object[] {amount, Double.NaN}); // NaN: a missing value, scored
    List<Row> rows = new ArrayList<>();
    HashMap<String, Float> expectedScores = new HashMap<>();
    for (Row vector : vectors.subList(0, 40)) {
      String id = vector.getString(FeatureVector.EVENT_ID);
      Object[] change = changes.get(id);
      Row changed = change == null ? vector : withFeature(vector, (String) change[0], change[1]);
      rows.add(changed);
      if (change == null || id.equals("e13")) {
        expectedScores.put(id, ScoringFixtures.reference(booster, List.of(changed))[0]);
      }
    }

    WithFailures.Result<PCollection<Row>, Row> scored =
        pipeline
            .apply("CreateVectors", Create.of(rows).withRowSchema(ScoringFixtures.VECTOR_SCHEMA))
            .apply("Score", ScoreWithXGBoost.pinned(registry + "/v0001").withMaxBatchSize(100));

    PAssert.that(scored.output())
        .satisfies(
            scores -> {
              Map<String, Float> got = new HashMap<>();
              scores.forEach(
                  s -> got.put(s.getString(Score.EVENT_ID), s.getDouble(Score.SCORE).floatValue()));
              assertEquals(expectedScores, got);
              return null;
            });
    String finiteOnly = ": XGBoost takes finite values only (null or NaN means missing)";
    Map<String, String> reasons = new HashMap<>();
    reasons.put("e3", "feature '" + amount + "' is Infinity" + finiteOnly);
    reasons.put("e7", "feature '" + other + "' is -Infinity" + finiteOnly);
    reasons.put(
        "e11",
        "feature '"
            + amount
            + "' is 1.0E39, beyond the float range XGBoost takes (magnitude at most "
            + Float.MAX_VALUE
            + "; null or NaN means missing)");
    PAssert.that(scored.failures())
        .satisfies(
            letters -> {
              Map<String, String> got = new HashMap<>();
              for (Row letter : letters) {
                assertEquals(DeadLetter.Stage.SCORE, letter.getString(DeadLetter.STAGE));
                String payload = letter.getString(DeadLetter.RAW_PAYLOAD);
                String id = payload.replaceAll(".*\"event_id\":\"(e\\d+)\".*", "$1");
                got.put(id, letter.getString(DeadLetter.ERROR));
              }
              assertEquals(reasons, got);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  private static Row withFeature(Row vector, String feature, Object value) {
    Row features = vector.getRow(FeatureVector.FEATURES);
    Row changed = Row.fromRow(features).withFieldValue(feature, value).build();
    return Row.fromRow(vector).withFieldValue(FeatureVector.FEATURES, changed).build();
  }
}
