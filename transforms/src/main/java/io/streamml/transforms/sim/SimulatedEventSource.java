package io.streamml.transforms.sim;

import io.streamml.schemas.RowJsonCodec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * Simulated raw records as JSON text, each a pure function of the config and its index: the valid
 * event, or (for the configured share) a malformed version of it. Shared by {@link SimulateEvents}
 * and by in-memory uses such as benchmarks' plain-Java baselines.
 */
public final class SimulatedEventSource implements Serializable {

  private final SimulatorConfig config;
  private final EventSimulator simulator;
  private final RowJsonCodec codec;
  private final MalformedRecords malformed;

  public SimulatedEventSource(SimulatorConfig config) {
    this.config = config;
    this.simulator = EventSimulator.create(config);
    this.codec = RowJsonCodec.of(simulator.spec().eventSchema());
    this.malformed = new MalformedRecords(simulator.spec());
  }

  /** The raw record with this index (malformed for the configured share of indices). */
  public String record(long index) {
    return recordOf(index, simulator.event(index));
  }

  /** The raw record with this index, stamped with the event time of the event it came from. */
  public TimestampedValue<String> timestampedRecord(long index) {
    Row event = simulator.event(index);
    return TimestampedValue.of(
        recordOf(index, event), event.getDateTime(simulator.spec().eventTimeField()).toInstant());
  }

  private String recordOf(long index, Row event) {
    String json = codec.toJson(event);
    if (isMalformed(index)) {
      SplittableRandom random = SimRandom.of(config.seed(), "malformed", index);
      random.nextDouble();
      json = malformed.corrupt(json, random);
    }
    return json;
  }

  public boolean isMalformed(long index) {
    return config.malformedRate() > 0
        && SimRandom.of(config.seed(), "malformed", index).nextDouble() < config.malformedRate();
  }

  Instant timeLowerBound(long index) {
    return simulator.timeLowerBound(index);
  }

  /** Records {@code 0 .. count-1}, in index order. */
  public List<String> records(long count) {
    List<String> records = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      records.add(record(i));
    }
    return records;
  }
}
