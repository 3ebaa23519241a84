package io.streamml.pipelines.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The flags of {@code streamml models import} (bring your own model). */
public interface ImportModelOptions extends PipelineOptions {

  @Description(
      "import: the XGBoost model file (JSON or UBJ, as Python's or R's save_model writes it).")
  String getModelFile();

  void setModelFile(String value);

  @Description(
      "import: the model's feature names in column order, comma-separated; default: the use"
          + " case's features.")
  String getFeatures();

  void setFeatures(String value);

  @Description("import: a file of the model's feature names (one a line, or comma-separated).")
  String getFeaturesFile();

  void setFeaturesFile(String value);

  @Description(
      "import: JSON-lines rows (feature vectors, or objects with the feature fields; 'label' and"
          + " 'feature_time' used if present) the reference profile is computed from.")
  String getData();

  void setData(String value);

  @Description(
      "import: the alert threshold; default: the score that flags the top 1% of --data rows.")
  Double getThreshold();

  void setThreshold(Double value);

  @Description("import: make the imported model LATEST (false: register it only).")
  @Default.Boolean(true)
  Boolean getPromote();

  void setPromote(Boolean value);
}
