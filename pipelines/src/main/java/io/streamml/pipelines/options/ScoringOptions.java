package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How feature vectors are scored and when a score alerts. */
public interface ScoringOptions extends PipelineOptions {

  @Description(
      "Model to score with: a registry root (follows its LATEST; a stream re-reads it every"
          + " --modelPollSeconds) or one bundle folder such as REGISTRY/v0003 (pins it)."
          + " Unset: --registry.")
  String getModel();

  void setModel(String value);

  @Description("Alert when a score is at or above this (0 to 1) instead of the model's threshold.")
  Double getThreshold();

  void setThreshold(Double value);

  @Description("Rows per XGBoost prediction call at most.")
  @Default.Integer(1000)
  Integer getMaxBatchSize();

  void setMaxBatchSize(Integer value);

  @Description("Feature contributions (reasons) kept per alert; 0 for none.")
  @Default.Integer(3)
  Integer getTopK();

  void setTopK(Integer value);

  @Description(
      "Reasons from each tree's path (XGBoost's approx_contribs) instead of exact SHAP values:"
          + " they add up the same and cost a small fraction of SHAP's time, but split the credit"
          + " along a path differently, which can reorder close reasons.")
  @Default.Boolean(false)
  Boolean getApproximateReasons();

  void setApproximateReasons(Boolean value);

  @Description("How often a streaming pipeline re-reads the registry's LATEST, in seconds.")
  @Default.Integer(60)
  Integer getModelPollSeconds();

  void setModelPollSeconds(Integer value);

  @Description(
      "Batch rows across bundles (GroupIntoBatches on sharded keys), waiting at most this many"
          + " milliseconds for a batch to fill: for runners whose streaming bundles are small"
          + " (Dataflow). Unset: batch within each bundle, best on Direct, Flink and Spark.")
  Integer getCrossBundleBatchMillis();

  void setCrossBundleBatchMillis(Integer value);

  @Description(
      "Also write scores and alerts as Parquet (scores-parquet/, alerts-parquet/ under --output).")
  @org.apache.beam.sdk.options.Default.Boolean(false)
  boolean getWriteParquet();

  void setWriteParquet(boolean value);
}
