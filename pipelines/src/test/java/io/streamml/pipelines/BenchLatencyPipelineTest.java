package io.streamml.pipelines;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** When bench-latency starts measuring: warmed up, and caught up or out of catch-up time. */
class BenchLatencyPipelineTest {

  private static BenchLatencyPipeline.Options options() {
    BenchLatencyPipeline.Options options =
        PipelineOptionsFactory.as(BenchLatencyPipeline.Options.class);
    options.setOfferedRate(1_000.0);
    options.setWarmupSeconds(20);
    options.setCatchUpSeconds(60);
    return options;
  }

  @Test
  void neverDuringTheWarmUpEvenWhenCaughtUp() {
    assertFalse(BenchLatencyPipeline.readyToMeasure(options(), 19_999, 0));
  }

  @Test
  void afterTheWarmUpOnceLessThanASecondOfEventsIsWaiting() {
    assertTrue(BenchLatencyPipeline.readyToMeasure(options(), 20_000, 999));
  }

  @Test
  void notWhileAStartUpBacklogIsStillDraining() {
    assertFalse(BenchLatencyPipeline.readyToMeasure(options(), 20_000, 1_000));
    assertFalse(BenchLatencyPipeline.readyToMeasure(options(), 79_999, 50_000));
  }

  @Test
  void aJobThatNeverCatchesUpIsMeasuredWhenTheCatchUpTimeIsOver() {
    assertTrue(BenchLatencyPipeline.readyToMeasure(options(), 80_000, 50_000));
  }
}
