package io.streamml.jmh;

import io.streamml.schemas.RowJsonCodec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.values.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One fraud event's JSON to a schema Row, as {@code ParseEvents} does for every record read. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParseEventBenchmark {

  private RowJsonCodec codec;
  private List<String> records;
  private int next;

  @Setup
  public void setUp() {
    codec = RowJsonCodec.of(SimulatedFraud.SPEC.eventSchema());
    records = SimulatedFraud.records(1024);
  }

  @Benchmark
  public Row parseOneEvent() {
    next = (next + 1) & 1023;
    return codec.parse(records.get(next));
  }
}
