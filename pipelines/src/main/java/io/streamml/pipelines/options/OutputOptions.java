package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a pipeline writes its results. */
public interface OutputOptions extends PipelineOptions {

  @Description("Output folder (any Beam filesystem path).")
  @Default.String("./streamml-out")
  String getOutput();

  void setOutput(String value);

  @Description(
      "Delete the files an earlier run left in this command's output folders before writing, so"
          + " the folders hold one run's results.")
  @Default.Boolean(true)
  Boolean getClearOutput();

  void setClearOutput(Boolean value);
}
