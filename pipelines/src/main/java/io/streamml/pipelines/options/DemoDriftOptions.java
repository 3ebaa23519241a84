package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Whether the demo also measures drift (opt-in: it adds profiling and a shift to the run). */
public interface DemoDriftOptions extends PipelineOptions {

  @Description(
      "Also measure drift against the model's reference profile, injecting a shift halfway"
          + " through the simulated stream unless --shiftFrom is given (needs a model).")
  @Default.Boolean(false)
  boolean getDrift();

  void setDrift(boolean value);
}
