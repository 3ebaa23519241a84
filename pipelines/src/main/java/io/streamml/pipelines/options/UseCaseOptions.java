package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which use case the pipeline works on. */
public interface UseCaseOptions extends PipelineOptions {

  @Description("Built-in use case: fraud or maintenance.")
  @Default.String("fraud")
  String getUseCase();

  void setUseCase(String value);

  @Description(
      "Path to a use-case spec file, JSON or YAML (event fields, id, key, time and label fields,"
          + " features); overrides --useCase.")
  String getUseCaseSpec();

  void setUseCaseSpec(String value);
}
