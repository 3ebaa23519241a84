package io.streamml.transforms.sim;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.io.Serializable;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * A use case's event generator: event {@code i} is a pure function of the config and {@code i}, so
 * any worker can generate any slice and every runner sees the same events.
 */
interface EventSimulator extends Serializable {

  UseCaseSpec spec();

  /** The event with this index, a Row of {@link #spec()}'s event schema. */
  Row event(long index);

  /**
   * A lower bound on the event time of every event at or after {@code index}; never decreases. Used
   * as the element timestamp (and so the watermark) of the index sequence.
   */
  Instant timeLowerBound(long index);

  static EventSimulator create(SimulatorConfig config) {
    switch (config.useCase()) {
      case UseCaseSpecs.FRAUD:
        return new FraudSimulator(config);
      case UseCaseSpecs.MAINTENANCE:
        return new MaintenanceSimulator(config);
      default:
        throw new IllegalArgumentException("No simulator for use case " + config.useCase());
    }
  }
}
