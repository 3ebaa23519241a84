package io.streamml.transforms.testing;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Beam counters and distributions of a finished (or cancelled) test run. */
public final class PipelineCounters {

  private PipelineCounters() {}

  /** The attempted value of counter {@code namespace:name}, summed over the steps that count it. */
  public static long sum(PipelineResult result, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  /** The attempted value of distribution {@code namespace:name}, of its one step. */
  public static DistributionResult distribution(
      PipelineResult result, String namespace, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)).build())
        .getDistributions()
        .iterator()
        .next()
        .getAttempted();
  }
}
