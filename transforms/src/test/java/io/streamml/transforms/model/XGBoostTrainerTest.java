package io.streamml.transforms.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.features.FeatureLoop;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** Training on simulated data of both use cases: well above chance, and reproducible. */
class XGBoostTrainerTest {

  static TrainingSet simulated(String useCase, long events) {
    UseCaseSpec spec = UseCaseSpecs.builtIn(useCase);
    RowJsonCodec codec = RowJsonCodec.of(spec.eventSchema());
    List<Row> rows = new ArrayList<>();
    new SimulatedEventSource(SimulatorConfig.forUseCase(useCase).withNumEvents(events))
        .records(events)
        .forEach(json -> rows.add(codec.parse(json)));
    List<Row> vectors = new ArrayList<>();
    FeatureLoop.computeAll(spec, rows, vectors::add);
    return TrainingSet.fromVectors(spec.features().names(), vectors);
  }

  @Test
  void fraudModelRanksFraudFarAboveChance() throws Exception {
    XGBoostTrainer.Result result =
        XGBoostTrainer.create().withRounds(100).train(simulated(UseCaseSpecs.FRAUD, 40_000));

    System.out.println("fraud holdout metrics: " + result.metrics);
    assertTrue(result.metrics.get("auc_roc") > 0.9, result.metrics.toString());
    float[][] curve = result.learningCurve;
    assertTrue(curve.length == result.metrics.get("rounds").intValue() && curve.length > 10);
    assertTrue(curve[curve.length - 1][0] < curve[0][0], "training loss falls");
    assertTrue(result.metrics.get("auc_pr") > 0.3, result.metrics.toString());
  }

  @Test
  void maintenanceModelRanksFailuresFarAboveChance() throws Exception {
    XGBoostTrainer.Result result =
        XGBoostTrainer.create()
            .withRounds(100)
            .withAlertRate(0.05)
            .train(simulated(UseCaseSpecs.MAINTENANCE, 40_000));

    System.out.println("maintenance holdout metrics: " + result.metrics);
    assertTrue(result.metrics.get("auc_roc") > 0.8, result.metrics.toString());
  }

  @Test
  void trainingIsDeterministic() throws Exception {
    TrainingSet data = simulated(UseCaseSpecs.FRAUD, 10_000);

    byte[] first = XGBoostTrainer.create().withRounds(30).train(data).booster.toByteArray("json");
    byte[] second = XGBoostTrainer.create().withRounds(30).train(data).booster.toByteArray("json");

    assertArrayEquals(first, second);
  }

  @Test
  void targetPrecisionSetsTheThresholdOnTheHoldout() throws Exception {
    XGBoostTrainer.Result result =
        XGBoostTrainer.create()
            .withRounds(50)
            .withTargetPrecision(0.9)
            .train(simulated(UseCaseSpecs.FRAUD, 20_000));

    assertTrue(result.metrics.get("precision_at_threshold") >= 0.9, result.metrics.toString());
  }

  /** Labels independent of the features: the holdout loss is best after a few rounds. */
  private static TrainingSet noise(int rows) {
    Random random = new Random(3);
    List<Row> vectors = new ArrayList<>();
    Schema features =
        Schema.builder().addNullableDoubleField("a").addNullableDoubleField("b").build();
    Schema schema =
        Schema.builder()
            .addStringField(FeatureVector.KEY)
            .addNullableStringField(FeatureVector.EVENT_ID)
            .addDateTimeField(FeatureVector.FEATURE_TIME)
            .addNullableDoubleField(FeatureVector.LABEL)
            .addRowField(FeatureVector.FEATURES, features)
            .build();
    for (int i = 0; i < rows; i++) {
      vectors.add(
          Row.withSchema(schema)
              .addValues(
                  "k" + i,
                  null,
                  new Instant(i * 1000L),
                  random.nextBoolean() ? 1.0 : 0.0,
                  Row.withSchema(features)
                      .addValues(random.nextGaussian(), random.nextGaussian())
                      .build())
              .build());
    }
    return TrainingSet.fromVectors(List.of("a", "b"), vectors);
  }

  @Test
  void earlyStoppingStopsSoonAfterTheBestHoldoutRound() throws Exception {
    XGBoostTrainer.Result result =
        XGBoostTrainer.create()
            .withRounds(500)
            .withEarlyStoppingRounds(5)
            .withScalePosWeight(1.0)
            .train(noise(2_000));

    int rounds = result.metrics.get("rounds").intValue();
    assertTrue(rounds < 100, "stopped after " + rounds + " of 500 rounds");
    assertEquals(result.bestRound + 5, rounds);
    assertEquals(rounds, result.learningCurve.length);
    for (float[] round : result.learningCurve) {
      assertTrue(round[1] >= result.learningCurve[result.bestRound - 1][1]);
    }
  }

  @Test
  void withoutEarlyStoppingEveryRoundRuns() throws Exception {
    XGBoostTrainer.Result result =
        XGBoostTrainer.create().withRounds(40).withEarlyStoppingRounds(0).train(noise(500));

    assertEquals(40, result.metrics.get("rounds").intValue());
  }

  @Test
  void listenerHearsEveryRoundWhileTrainingRuns() throws Exception {
    List<String> heard = new ArrayList<>();
    XGBoostTrainer.Result result =
        XGBoostTrainer.create()
            .withRounds(12)
            .withEarlyStoppingRounds(0)
            .withRoundListener(
                (round, train, holdout) -> heard.add(round + ":" + train + ":" + holdout))
            .train(noise(500));

    assertEquals(12, heard.size());
    assertEquals(
        "12:" + result.learningCurve[11][0] + ":" + result.learningCurve[11][1], heard.get(11));
  }

  @Test
  void objectiveIsSettableAndChecked() throws Exception {
    XGBoostTrainer.Result result =
        XGBoostTrainer.create().withRounds(5).withObjective("reg:logistic").train(noise(500));
    assertTrue(result.booster.toByteArray("json").length > 0);
    assertEquals(
        "\"reg:logistic\"",
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(result.booster.toByteArray("json"))
            .at("/learner/objective/name")
            .toString());
    assertThrows(
        IllegalArgumentException.class, () -> XGBoostTrainer.create().withObjective("reg:squared"));
  }
}
