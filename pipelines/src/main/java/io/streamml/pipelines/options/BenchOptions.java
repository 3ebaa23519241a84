package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How often a benchmark runs and where its results go; shared by every {@code bench-*}. */
public interface BenchOptions extends PipelineOptions {

  @Description("Run the benchmark this many times and report the median ratio (and min, max).")
  @Default.Integer(1)
  int getRepeats();

  void setRepeats(int value);

  @Description(
      "Append the results to these files: PATH.jsonl (one JSON object per benchmark run of this"
          + " command) and PATH.csv (one row, with a header when new). Unset: printed only.")
  String getResultsFile();

  void setResultsFile(String value);
}
