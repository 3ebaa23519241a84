package io.streamml.transforms.model;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Trains a binary XGBoost classifier on the earlier part of a time-ordered {@link TrainingSet},
 * early-stops and evaluates on the later part, and picks the alert threshold on that holdout.
 * Deterministic for a fixed seed (single-threaded histogram training). Early stopping keeps the
 * trees after the best round (xgboost4j cannot slice a booster); {@code best_round} is reported.
 */
public final class XGBoostTrainer {

  // Not final only so the with-methods can set one field on a fresh copy; never changed after.
  private int rounds = 200;
  private int maxDepth = 6;
  private double eta = 0.1;
  private int earlyStoppingRounds = 20;
  private double holdoutShare = 0.2;
  private double alertRate = 0.01;
  private long seed = 42;
  private @Nullable Double targetPrecision;
  private @Nullable Double scalePosWeight;
  private String objective = "binary:logistic";
  private RoundListener listener = (round, train, holdout) -> {};

  /** Objectives whose predictions are scores in [0, 1], as thresholds and drift expect. */
  public static final List<String> OBJECTIVES =
      List.of("binary:logistic", "reg:logistic", "binary:hinge");

  /** Told after every boosting round, while training runs. */
  @FunctionalInterface
  public interface RoundListener {
    /** {@code round} counts from 1; the metrics are the eval metric on each part. */
    void onRound(int round, float trainMetric, float holdoutMetric);
  }

  private XGBoostTrainer() {}

  /** 200 rounds of depth 6 at eta 0.1, early stop after 20, 20% holdout, 1% alert rate. */
  public static XGBoostTrainer create() {
    return new XGBoostTrainer();
  }

  private XGBoostTrainer copy() {
    XGBoostTrainer copy = new XGBoostTrainer();
    copy.rounds = rounds;
    copy.maxDepth = maxDepth;
    copy.eta = eta;
    copy.earlyStoppingRounds = earlyStoppingRounds;
    copy.holdoutShare = holdoutShare;
    copy.alertRate = alertRate;
    copy.seed = seed;
    copy.targetPrecision = targetPrecision;
    copy.scalePosWeight = scalePosWeight;
    copy.objective = objective;
    copy.listener = listener;
    return copy;
  }

  public XGBoostTrainer withRounds(int rounds) {
    checkArgument(rounds > 0, "rounds must be > 0: %s", rounds);
    XGBoostTrainer copy = copy();
    copy.rounds = rounds;
    return copy;
  }

  public XGBoostTrainer withMaxDepth(int maxDepth) {
    checkArgument(maxDepth > 0, "maxDepth must be > 0: %s", maxDepth);
    XGBoostTrainer copy = copy();
    copy.maxDepth = maxDepth;
    return copy;
  }

  public XGBoostTrainer withEta(double eta) {
    checkArgument(eta > 0 && eta <= 1, "eta must be in (0, 1]: %s", eta);
    XGBoostTrainer copy = copy();
    copy.eta = eta;
    return copy;
  }

  public XGBoostTrainer withHoldoutShare(double holdoutShare) {
    checkArgument(
        holdoutShare > 0 && holdoutShare < 1, "holdoutShare must be in (0, 1): %s", holdoutShare);
    XGBoostTrainer copy = copy();
    copy.holdoutShare = holdoutShare;
    return copy;
  }

  /** Share of holdout scores the chosen threshold alerts on. */
  public XGBoostTrainer withAlertRate(double alertRate) {
    checkArgument(alertRate > 0 && alertRate < 1, "alertRate must be in (0, 1): %s", alertRate);
    XGBoostTrainer copy = copy();
    copy.alertRate = alertRate;
    return copy;
  }

  /**
   * Chooses the threshold as the lowest one whose holdout precision reaches {@code precision}
   * (instead of an alert rate); falls back to the alert rate if no threshold reaches it.
   */
  public XGBoostTrainer withTargetPrecision(@Nullable Double precision) {
    checkArgument(
        precision == null || (precision > 0 && precision <= 1),
        "targetPrecision must be in (0, 1]: %s",
        precision);
    XGBoostTrainer copy = copy();
    copy.targetPrecision = precision;
    return copy;
  }

  /** Weight of positive examples; unset means negatives / positives (capped at 100). */
  public XGBoostTrainer withScalePosWeight(@Nullable Double weight) {
    checkArgument(weight == null || weight > 0, "scalePosWeight must be > 0: %s", weight);
    XGBoostTrainer copy = copy();
    copy.scalePosWeight = weight;
    return copy;
  }

  /** Stop when the holdout metric has not improved for this many rounds; 0 never stops early. */
  public XGBoostTrainer withEarlyStoppingRounds(int earlyStoppingRounds) {
    checkArgument(
        earlyStoppingRounds >= 0, "earlyStoppingRounds must be >= 0: %s", earlyStoppingRounds);
    XGBoostTrainer copy = copy();
    copy.earlyStoppingRounds = earlyStoppingRounds;
    return copy;
  }

  /** The XGBoost objective, one of {@link #OBJECTIVES}. */
  public XGBoostTrainer withObjective(String objective) {
    checkArgument(
        OBJECTIVES.contains(objective),
        "objective must be one of %s (scores in [0, 1]): %s",
        OBJECTIVES,
        objective);
    XGBoostTrainer copy = copy();
    copy.objective = objective;
    return copy;
  }

  /** Called after each round with the train and holdout metric, to report progress live. */
  public XGBoostTrainer withRoundListener(RoundListener listener) {
    XGBoostTrainer copy = copy();
    copy.listener = checkNotNull(listener, "listener");
    return copy;
  }

  /** The eval metric the learning curve and early stopping use. */
  public String evalMetric() {
    return objective.equals("binary:hinge") ? "error" : "logloss";
  }

  /** A trained booster with its holdout metrics and threshold. */
  public static final class Result {
    public final Booster booster;
    public final Map<String, Double> metrics;
    public final double threshold;

    /**
     * The eval metric per round run: {@code [round][0]} on the training part, {@code [1]} holdout.
     */
    public final float[][] learningCurve;

    /** The round (from 1) with the best holdout metric. */
    public final int bestRound;

    Result(
        Booster booster,
        Map<String, Double> metrics,
        double threshold,
        float[][] learningCurve,
        int bestRound) {
      this.booster = booster;
      this.metrics = metrics;
      this.threshold = threshold;
      this.learningCurve = learningCurve;
      this.bestRound = bestRound;
    }
  }

  public Result train(TrainingSet data) throws XGBoostError {
    int split = data.holdoutStart(holdoutShare);
    TrainingSet train = data.slice(0, split);
    TrainingSet holdout = data.slice(split, data.size());
    checkArgument(
        train.size() > 0 && holdout.size() > 0,
        "Too few labelled rows to train and hold out: %s",
        data.size());
    DMatrix trainMatrix = matrix(train);
    DMatrix holdoutMatrix = matrix(holdout);
    try {
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      watches.put("train", trainMatrix);
      watches.put("holdout", holdoutMatrix);
      // Zero rounds gives an empty booster that caches both matrices; the loop below is
      // XGBoost.train's own (update, evalSet, early stop) with the listener told every round.
      Booster booster = XGBoost.train(trainMatrix, params(train), 0, watches, null, null);
      DMatrix[] evalMatrices = {trainMatrix, holdoutMatrix};
      String[] evalNames = {"train", "holdout"};
      List<float[]> history = new ArrayList<>();
      int best = 0;
      for (int iteration = 0; iteration < rounds; iteration++) {
        booster.update(trainMatrix, iteration);
        float[] metrics = new float[2];
        booster.evalSet(evalMatrices, evalNames, iteration, metrics);
        history.add(metrics);
        listener.onRound(iteration + 1, metrics[0], metrics[1]);
        if (metrics[1] < history.get(best)[1]) {
          best = iteration;
        }
        if (earlyStoppingRounds > 0 && iteration - best >= earlyStoppingRounds) {
          break;
        }
      }
      float[] scores = column(booster.predict(holdoutMatrix));
      double threshold = BinaryMetrics.thresholdForAlertRate(scores, alertRate);
      if (targetPrecision != null) {
        double forPrecision =
            BinaryMetrics.thresholdForPrecision(scores, holdout.labels(), targetPrecision);
        threshold = Double.isNaN(forPrecision) ? threshold : forPrecision;
      }
      double[] precisionRecall = BinaryMetrics.precisionRecall(scores, holdout.labels(), threshold);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("auc_roc", BinaryMetrics.aucRoc(scores, holdout.labels()));
      metrics.put("auc_pr", BinaryMetrics.aucPr(scores, holdout.labels()));
      metrics.put("log_loss", BinaryMetrics.logLoss(scores, holdout.labels()));
      metrics.put("precision_at_threshold", precisionRecall[0]);
      metrics.put("recall_at_threshold", precisionRecall[1]);
      metrics.put("rounds", (double) history.size());
      metrics.put("best_round", (double) best + 1);
      metrics.put("train_rows", (double) train.size());
      metrics.put("holdout_rows", (double) holdout.size());
      metrics.put("holdout_positive_share", holdout.positiveShare());
      return new Result(booster, metrics, threshold, history.toArray(new float[0][]), best + 1);
    } finally {
      trainMatrix.dispose();
      holdoutMatrix.dispose();
    }
  }

  private Map<String, Object> params(TrainingSet train) {
    Map<String, Object> params = new HashMap<>();
    params.put("objective", objective);
    params.put("eval_metric", evalMetric());
    params.put("max_depth", maxDepth);
    params.put("eta", eta);
    params.put("tree_method", "hist");
    params.put("seed", seed);
    params.put("nthread", 1);
    double positives = train.positiveShare();
    // Rare positives (fraud) get their weight up to the negatives', unless told a weight.
    params.put(
        "scale_pos_weight",
        scalePosWeight != null
            ? scalePosWeight
            : positives == 0 ? 1.0 : Math.min(100, (1 - positives) / positives));
    return params;
  }

  /** The booster's scores on every row of {@code data}, in one batch predict. */
  public static float[] predict(Booster booster, TrainingSet data) throws XGBoostError {
    DMatrix matrix = matrix(data);
    try {
      return column(booster.predict(matrix));
    } finally {
      matrix.dispose();
    }
  }

  static DMatrix matrix(TrainingSet data) throws XGBoostError {
    DMatrix matrix = new DMatrix(data.values(), data.size(), data.featureNames().size(), Float.NaN);
    matrix.setLabel(data.labels());
    return matrix;
  }

  static float[] column(float[][] predictions) {
    float[] scores = new float[predictions.length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = predictions[i][0];
    }
    return scores;
  }
}
