package io.streamml.transforms.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.features.FeatureLoop;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
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
}
