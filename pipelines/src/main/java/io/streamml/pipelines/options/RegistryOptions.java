package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where model bundles live: the same flag for every command that reads or writes models. */
public interface RegistryOptions extends PipelineOptions {

  @Description("Model registry root (any Beam filesystem path): one folder per version + LATEST.")
  @Default.String("./streamml-registry")
  String getRegistry();

  void setRegistry(String value);
}
