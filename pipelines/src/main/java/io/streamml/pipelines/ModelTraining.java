package io.streamml.pipelines;

import io.streamml.pipelines.options.TrainingOptions;
import io.streamml.schemas.FeatureVector;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.transforms.drift.FeatureReference;
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

  /** Trains on the vectors in files matching {@code vectorsPattern}; returns the new version. */
  public static String trainAndRegister(
      UseCaseSpec spec,
      String vectorsPattern,
      String categoriesPrefix,
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
    XGBoostTrainer trainer = trainer(options, out);
    XGBoostTrainer.Result trained = trainer.train(data);
    try {
      out.printf(
          "  ran %d rounds; best holdout %s at round %d%n",
          trained.learningCurve.length, trainer.evalMetric(), trained.bestRound);
      ModelBundle bundle = ModelBundle.of(trained, data, spec);
      List<FeatureReference> categories = TrainingCategories.read(categoriesPrefix);
      if (!categories.isEmpty()) {
        bundle = bundle.withProfile(bundle.profile().orElseThrow().withCategories(categories));
      }
      String version = registry.register(bundle);
      out.printf("model %s registered (now LATEST); holdout:%n", version);
      out.printf("  %-24s %.4f%n", "threshold", trained.threshold);
      trained.metrics.forEach((name, value) -> out.printf("  %-24s %.4f%n", name, value));
      return version;
    } finally {
      trained.booster.dispose();
    }
  }

  /** The trainer the flags describe, printing progress every few rounds as it trains. */
  static XGBoostTrainer trainer(TrainingOptions options, PrintStream out) {
    int every = options.getProgressEveryRounds();
    if (every <= 0) {
      throw new IllegalArgumentException(
          "--progressEveryRounds must be > 0: " + options.getProgressEveryRounds());
    }
    XGBoostTrainer trainer =
        XGBoostTrainer.create()
            .withRounds(options.getRounds())
            .withMaxDepth(options.getMaxDepth())
            .withEta(options.getEta())
            .withHoldoutShare(options.getHoldoutShare())
            .withAlertRate(options.getAlertRate())
            .withTargetPrecision(options.getTargetPrecision())
            .withScalePosWeight(options.getScalePosWeight())
            .withEarlyStoppingRounds(options.getEarlyStoppingRounds())
            .withObjective(options.getObjective());
    String metric = trainer.evalMetric();
    return trainer.withRoundListener(
        (round, train, holdout) -> {
          if (round % every == 0 || round == 1) {
            out.printf(
                "  round %4d   train %s %.5f   holdout %s %.5f%n",
                round, metric, train, metric, holdout);
            out.flush();
          }
        });
  }
}
