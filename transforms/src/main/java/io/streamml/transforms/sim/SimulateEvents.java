package io.streamml.transforms.sim;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;

/**
 * Simulated raw events of a built-in use case, as JSON text timestamped with their event time.
 *
 * <p>Bounded (N events, as fast as possible) or unbounded (rate-limited, optionally stopping after
 * N). The same config gives the same events on every runner, however the work is split, because
 * event {@code i} depends only on the seed and {@code i}. In unbounded mode the watermark follows
 * simulated event time, so no simulated event is late. A configured share of records is replaced by
 * malformed ones, for demos and tests of dead-letter handling.
 */
public final class SimulateEvents extends PTransform<PBegin, PCollection<String>> {

  private final SimulatorConfig config;

  private SimulateEvents(SimulatorConfig config) {
    this.config = config;
  }

  public static SimulateEvents from(SimulatorConfig config) {
    return new SimulateEvents(config);
  }

  @Override
  public PCollection<String> expand(PBegin input) {
    SimulatedEventSource source = new SimulatedEventSource(config);
    GenerateSequence indices = GenerateSequence.from(0);
    if (config.numEvents() != null) {
      indices = indices.to(config.numEvents());
    }
    Double rate = config.eventsPerSecond();
    if (rate != null) {
      indices =
          rate >= 1
              ? indices.withRate(Math.round(rate), Duration.standardSeconds(1))
              : indices.withRate(1, Duration.millis(Math.round(1000 / rate)));
    }
    if (config.isBounded()) {
      // The bounded counting source splits well; events get their timestamps from the DoFn.
      return input
          .apply("GenerateIndices", indices)
          .apply("GenerateEventJson", ParDo.of(new GenerateEventFn(source)))
          .setCoder(StringUtf8Coder.of());
    }
    // Unbounded: index timestamps are event-time lower bounds, so the watermark follows them.
    return input
        .apply("GenerateIndices", indices.withTimestampFn(source::timeLowerBound))
        .apply("GenerateEventJson", ParDo.of(new GenerateEventFn(source)))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class GenerateEventFn extends DoFn<Long, String> {
    private final SimulatedEventSource source;
    private final Counter generated = Metrics.counter("streamml.simulator", "events_generated");
    private final Counter corrupted = Metrics.counter("streamml.simulator", "malformed_generated");

    GenerateEventFn(SimulatedEventSource source) {
      this.source = source;
    }

    @ProcessElement
    public void process(@Element Long index, OutputReceiver<String> out) {
      if (source.isMalformed(index)) {
        corrupted.inc();
      }
      generated.inc();
      TimestampedValue<String> record = source.timestampedRecord(index);
      out.outputWithTimestamp(record.getValue(), record.getTimestamp());
    }
  }
}
