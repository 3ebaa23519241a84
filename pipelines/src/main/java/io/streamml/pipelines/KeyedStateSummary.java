package io.streamml.pipelines;

import io.streamml.transforms.features.ExtractTrailingFeatures;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How big the per-key state of the streaming features got, from a run's metrics: the events each
 * key keeps (every flush) and their encoded bytes (sampled flushes). Only a stream has this state;
 * bounded input is featurised without it.
 */
final class KeyedStateSummary {

  private static final String NAMESPACE = "streamml.features";

  private final DistributionResult events;
  private final DistributionResult bytes;

  private KeyedStateSummary(DistributionResult events, DistributionResult bytes) {
    this.events = events;
    this.bytes = bytes;
  }

  /** The state figures of {@code result}, or null if the run kept no keyed feature state. */
  static @Nullable KeyedStateSummary of(@Nullable PipelineResult result) {
    if (result == null) {
      return null;
    }
    DistributionResult events = distribution(result, ExtractTrailingFeatures.HISTORY_SIZE_METRIC);
    DistributionResult bytes = distribution(result, ExtractTrailingFeatures.HISTORY_BYTES_METRIC);
    if (events == null || bytes == null || events.getCount() == 0 || bytes.getCount() == 0) {
      return null;
    }
    return new KeyedStateSummary(events, bytes);
  }

  private static @Nullable DistributionResult distribution(PipelineResult result, String name) {
    try {
      DistributionResult total = null;
      for (MetricResult<DistributionResult> metric :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(NAMESPACE, name))
                      .build())
              .getDistributions()) {
        DistributionResult value = metric.getAttempted();
        total =
            total == null
                ? value
                : DistributionResult.create(
                    total.getSum() + value.getSum(),
                    total.getCount() + value.getCount(),
                    Math.min(total.getMin(), value.getMin()),
                    Math.max(total.getMax(), value.getMax()));
      }
      return total;
    } catch (UnsupportedOperationException noMetrics) {
      return null;
    }
  }

  /** The figures by name, for a benchmark's results. */
  void addTo(Map<String, Double> figures) {
    figures.put("state_events_per_key_mean", events.getMean());
    figures.put("state_events_per_key_max", (double) events.getMax());
    figures.put("state_bytes_per_key_mean", bytes.getMean());
    figures.put("state_bytes_per_key_max", (double) bytes.getMax());
  }
}
