package io.streamml.jmh;

import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import io.streamml.transforms.sim.SimulatedEventSource;
import io.streamml.transforms.sim.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The benchmarks' input: simulated fraud events, as JSON and parsed, the same on every run. */
public final class SimulatedFraud {

  public static final UseCaseSpec SPEC = UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD);

  private SimulatedFraud() {}

  public static List<String> records(int count) {
    return new SimulatedEventSource(SimulatorConfig.forUseCase(SPEC.name())).records(count);
  }

  public static List<Row> events(int count) {
    RowJsonCodec codec = RowJsonCodec.of(SPEC.eventSchema());
    List<Row> events = new ArrayList<>();
    for (String record : records(count)) {
      events.add(codec.parse(record));
    }
    return events;
  }
}
