package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** XGBoost training settings. */
public interface TrainingOptions extends PipelineOptions {

  @Description("Boosting rounds (at most; training stops early when the holdout stops improving).")
  @Default.Integer(200)
  Integer getRounds();

  void setRounds(Integer value);

  @Description("Maximum tree depth.")
  @Default.Integer(6)
  Integer getMaxDepth();

  void setMaxDepth(Integer value);

  @Description("Learning rate (eta).")
  @Default.Double(0.1)
  Double getEta();

  void setEta(Double value);

  @Description("Share of the labelled rows, the latest by event time, held out for evaluation.")
  @Default.Double(0.2)
  Double getHoldoutShare();

  void setHoldoutShare(Double value);

  @Description("Share of holdout scores the chosen alert threshold should flag.")
  @Default.Double(0.01)
  Double getAlertRate();

  void setAlertRate(Double value);

  @Description(
      "Choose the alert threshold as the lowest with at least this holdout precision (0 to 1)"
          + " instead of by --alertRate.")
  Double getTargetPrecision();

  void setTargetPrecision(Double value);

  @Description("Weight of positive examples; unset: negatives / positives, at most 100.")
  Double getScalePosWeight();

  void setScalePosWeight(Double value);

  @Description(
      "Stop when the holdout metric has not improved for this many rounds (0: run every round).")
  @Default.Integer(20)
  Integer getEarlyStoppingRounds();

  void setEarlyStoppingRounds(Integer value);

  // A string, not an enum: XGBoost's own names (binary:logistic) are what users know and type.
  @Description("XGBoost objective: binary:logistic, reg:logistic or binary:hinge.")
  @Default.String("binary:logistic")
  String getObjective();

  void setObjective(String value);

  @Description("Print the train and holdout metric every this many rounds while training.")
  @Default.Integer(10)
  Integer getProgressEveryRounds();

  void setProgressEveryRounds(Integer value);

  @Description(
      "Train only if the drift run whose --output is given here asked for retraining after the"
          + " LATEST model's training data (its drift/retrain-triggers/ files); otherwise do"
          + " nothing.")
  @org.checkerframework.checker.nullness.qual.Nullable
  String getOnTrigger();

  void setOnTrigger(String value);
}
