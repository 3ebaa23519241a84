package io.streamml.pipelines;

import io.streamml.pipelines.options.TrainingOptions;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.model.ModelBundle;
import io.streamml.transforms.model.ModelRegistry;
import io.streamml.transforms.model.TrainingSet;
import io.streamml.transforms.model.XGBoostTrainer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * The driver-side half of training, shared by {@code train} and {@code demo}: read the feature
 * vectors a pipeline wrote, train on the earlier part, evaluate on the later, register, report.
 */
public final class ModelTraining {

  private ModelTraining() {}

  /** Log loss every tenth round and at the last, so a user sees training converge. */
  private static void printLearningCurve(float[][] curve, PrintStream out) {
    for (int round = 0; round < curve.length; round++) {
      if ((round + 1) % 10 == 0 || round == curve.length - 1) {
        out.printf(
            "  round %4d   train logloss %.5f   holdout logloss %.5f%n",
            round + 1, curve[round][0], curve[round][1]);
      }
    }
  }

  /** Trains on the vectors in files matching {@code vectorsPattern}; returns the new version. */
  public static String trainAndRegister(
      UseCaseSpec spec,
      String vectorsPattern,
      TrainingOptions options,
      ModelRegistry registry,
      PrintStream out)
      throws Exception {
    RowJsonCodec codec = RowJsonCodec.of(FeatureVector.schema(spec));
    List<Row> vectors = new ArrayList<>();
    OutputFiles.forEachLine(vectorsPattern, line -> vectors.add(codec.parse(line)));
    TrainingSet data = TrainingSet.fromVectors(spec.features().names(), vectors);
    out.printf(
        "training on %d vectors, %d labelled (%.2f%% positive), holding out the latest %.0f%%...%n",
        vectors.size(), data.size(), 100 * data.positiveShare(), 100 * options.getHoldoutShare());
    XGBoostTrainer.Result trained =
        XGBoostTrainer.create()
            .withRounds(options.getRounds())
            .withMaxDepth(options.getMaxDepth())
            .withEta(options.getEta())
            .withHoldoutShare(options.getHoldoutShare())
            .withAlertRate(options.getAlertRate())
            .withTargetPrecision(options.getTargetPrecision())
            .withScalePosWeight(options.getScalePosWeight())
            .train(data);
    try {
      printLearningCurve(trained.learningCurve, out);
      String version = registry.register(ModelBundle.of(trained, data, spec));
      out.printf("model %s registered (now LATEST); holdout:%n", version);
      out.printf("  %-24s %.4f%n", "threshold", trained.threshold);
      trained.metrics.forEach((name, value) -> out.printf("  %-24s %.4f%n", name, value));
      return version;
    } finally {
      trained.booster.dispose();
    }
  }
}
