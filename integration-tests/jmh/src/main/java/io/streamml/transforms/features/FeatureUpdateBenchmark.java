package io.streamml.transforms.features;

import io.streamml.jmh.SimulatedFraud;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One event's trailing fraud features (1 min to 24 h windows) from its card's history, as both the
 * batch and the streaming paths compute them: the cost grows with the events in the window, which
 * {@code historyEvents} sets (all within the last hour).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeatureUpdateBenchmark {

  @Param({"1", "10", "100", "1000"})
  public int historyEvents;

  private TrailingFeatureCalculator calculator;
  private List<Row> history;

  @Setup
  public void setUp() {
    calculator = new TrailingFeatureCalculator(SimulatedFraud.SPEC);
    String timeField = SimulatedFraud.SPEC.eventTimeField();
    String keyField = SimulatedFraud.SPEC.keyField();
    List<Row> events = SimulatedFraud.events(historyEvents);
    history = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < events.size(); i++) {
      // One card, one event every 3 s: every event is in the 1 h and 24 h windows.
      history.add(
          Row.fromRow(events.get(i))
              .withFieldValue(keyField, "card-1")
              .withFieldValue(timeField, start.plus(i * 3_000L))
              .build());
    }
    history.sort(calculator.order());
  }

  @Benchmark
  public Row featuresOfTheLatestEvent() {
    return calculator.vectorAt(history, history.size() - 1);
  }
}
