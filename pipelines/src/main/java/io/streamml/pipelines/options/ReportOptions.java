package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where a report reads a drift run's output and where it writes the page. */
public interface ReportOptions extends PipelineOptions {

  @Description("The --output folder of a 'streamml drift' run (its drift/ files are read).")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("The HTML file to write; default: <input>/drift/report.html.")
  @Nullable String getReportFile();

  void setReportFile(String value);
}
