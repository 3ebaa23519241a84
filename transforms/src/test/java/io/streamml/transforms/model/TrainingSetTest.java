package io.streamml.transforms.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The time split: whatever order the vectors arrive in, the holdout is the latest 20% by feature
 * time, and the bundle's training window is the labelled data's first and last feature time.
 */
class TrainingSetTest {

  private static final UseCaseSpec SPEC = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final int ROWS = 1000;

  /**
   * Row k (in time order) at START + k minutes. Labels tell the parts apart: the earliest 80% are
   * half positive, the latest 20% one in ten, so the holdout's positive share shows which rows it
   * holds. Two unlabelled vectors lie outside the labelled time range.
   */
  private static List<Row> shuffledVectors() {
    Schema schema = FeatureVector.schema(SPEC);
    Schema features = schema.getField(FeatureVector.FEATURES).getType().getRowSchema();
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < ROWS; k++) {
      double label = k < 800 ? k % 2 : (k % 10 == 0 ? 1 : 0);
      rows.add(vector(schema, features, random, k, START.plus(60_000L * k), label));
    }
    rows.add(vector(schema, features, random, -1, START.minus(86_400_000L), null));
    rows.add(vector(schema, features, random, -2, START.plus(86_400_000L * 30), null));
    Collections.shuffle(rows, random);
    return rows;
  }

  private static Row vector(
      Schema schema, Schema features, Random random, int k, Instant time, Double label) {
    Row.Builder values = Row.withSchema(features);
    for (int j = 0; j < features.getFieldCount(); j++) {
      values.addValue(random.nextGaussian());
    }
    return Row.withSchema(schema)
        .addValues("card-" + (k % 7), "e" + k, time, label, values.build())
        .build();
  }

  @Test
  void theHoldoutIsTheLatestFifthByFeatureTime() {
    TrainingSet data = TrainingSet.fromVectors(SPEC.features().names(), shuffledVectors());

    assertEquals(ROWS, data.size(), "unlabelled vectors are left out");
    int split = data.holdoutStart(0.2);
    assertEquals(800, split);
    TrainingSet train = data.slice(0, split);
    TrainingSet holdout = data.slice(split, data.size());
    assertEquals(START.getMillis(), train.firstTime());
    assertEquals(START.plus(60_000L * 799).getMillis(), train.lastTime());
    assertEquals(START.plus(60_000L * 800).getMillis(), holdout.firstTime());
    assertEquals(START.plus(60_000L * 999).getMillis(), holdout.lastTime());
    assertEquals(0.5, train.positiveShare(), 1e-12);
    assertEquals(0.1, holdout.positiveShare(), 1e-12);
  }

  @Test
  void theTrainerHoldsOutTheLatestFifthAndTheBundleRecordsTheWindow() throws Exception {
    TrainingSet data = TrainingSet.fromVectors(SPEC.features().names(), shuffledVectors());
    XGBoostTrainer.Result trained = XGBoostTrainer.create().withRounds(3).train(data);
    try {
      assertEquals(800.0, trained.metrics.get("train_rows"));
      assertEquals(200.0, trained.metrics.get("holdout_rows"));
      assertEquals(0.1, trained.metrics.get("holdout_positive_share"), 1e-12);

      ModelBundle bundle = ModelBundle.of(trained, data, SPEC);
      assertEquals(START, bundle.trainedFrom());
      assertEquals(START.plus(60_000L * 999), bundle.trainedTo());
      assertTrue(bundle.trainedFrom().isBefore(bundle.trainedTo()));
    } finally {
      trained.booster.dispose();
    }
  }
}
