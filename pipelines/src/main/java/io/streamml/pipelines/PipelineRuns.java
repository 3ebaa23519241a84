package io.streamml.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/** Running a pipeline the way every streamml command does. */
public final class PipelineRuns {

  private PipelineRuns() {}

  /**
   * Runs the pipeline and waits for it to finish. Returns false if the runner only prepared the job
   * without running it (e.g. wrote a Dataflow template), so there are no results to read.
   */
  public static boolean runToCompletion(Pipeline pipeline) {
    PipelineResult result = pipeline.run();
    try {
      result.waitUntilFinish();
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }
}
