package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the use case's reference tables (its spec's enrichments) are read from. */
public interface EnrichmentOptions extends PipelineOptions {

  @Description(
      "Reference tables for the spec's enrichments, as name=path pairs separated by commas"
          + " (JSON lines, any Beam filesystem); overrides the paths in the spec.")
  String getReferenceData();

  void setReferenceData(String value);
}
