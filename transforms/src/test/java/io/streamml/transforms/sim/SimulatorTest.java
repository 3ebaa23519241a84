package io.streamml.transforms.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamml.schemas.UseCaseSpecs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The simulators' determinism and the structure a model is meant to learn. */
class SimulatorTest {

  private static List<Row> events(SimulatorConfig config, int count) {
    EventSimulator simulator = EventSimulator.create(config);
    List<Row> events = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      events.add(simulator.event(i));
    }
    return events;
  }

  @Test
  void sameSeedGivesTheSameEventsInAnyGenerationOrder() {
    SimulatorConfig config = SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD).withSeed(7);
    List<Row> forward = events(config, 1_000);
    EventSimulator fresh = EventSimulator.create(config);

    for (int i = 999; i >= 0; i -= 37) {
      assertEquals(forward.get(i), fresh.event(i), "event " + i);
    }
  }

  @Test
  void differentSeedsGiveDifferentEvents() {
    assertNotEquals(
        events(SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD).withSeed(1), 100),
        events(SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD).withSeed(2), 100));
  }

  @Test
  void eventTimesNeverPrecedeTheirLowerBound() {
    for (String useCase : UseCaseSpecs.BUILT_IN) {
      EventSimulator simulator = EventSimulator.create(SimulatorConfig.forUseCase(useCase));
      Instant previousBound = new Instant(Long.MIN_VALUE);
      for (long i = 0; i < 2_000; i++) {
        Instant bound = simulator.timeLowerBound(i);
        assertFalse(bound.isBefore(previousBound), useCase + " bound decreased at " + i);
        Instant time = simulator.event(i).getDateTime("event_time").toInstant();
        assertFalse(time.isBefore(bound), useCase + " event " + i + " before its bound");
        previousBound = bound;
      }
    }
  }

  @Test
  void fraudIsRareAndLooksDifferentFromNormalSpend() {
    List<Row> events = events(SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD), 20_000);
    double fraud = 0;
    double fraudAmount = 0;
    double normalAmount = 0;
    double fraudOnline = 0;
    double normalOnline = 0;
    Set<String> ids = new HashSet<>();
    for (Row event : events) {
      ids.add(event.getString("transaction_id"));
      boolean isFraud = event.getBoolean("is_fraud");
      boolean online = event.getString("channel").equals("online");
      if (isFraud) {
        fraud++;
        fraudAmount += event.getDouble("amount");
        fraudOnline += online ? 1 : 0;
      } else {
        normalAmount += event.getDouble("amount");
        normalOnline += online ? 1 : 0;
      }
    }
    double normal = events.size() - fraud;
    assertEquals(events.size(), ids.size(), "transaction ids are unique");
    assertTrue(fraud / events.size() > 0.005 && fraud / events.size() < 0.03, "fraud " + fraud);
    assertTrue(fraudOnline / fraud > 1.5 * normalOnline / normal, "fraud is mostly online");
    assertTrue(fraudAmount / fraud > normalAmount / normal, "fraud spends more on average");
  }

  @Test
  void shiftRaisesSpendFromTheShiftTimeOn() {
    Instant shift = SimulatorConfig.DEFAULT_START.plus(5_000 * 1_000L);
    List<Row> events =
        events(SimulatorConfig.forUseCase(UseCaseSpecs.FRAUD).withShiftFrom(shift), 10_000);
    double before = 0;
    double after = 0;
    for (int i = 0; i < 4_000; i++) {
      before += events.get(i).getDouble("amount");
      after += events.get(6_000 + i).getDouble("amount");
    }
    assertTrue(after > 1.4 * before, "before " + before + " after " + after);
  }

  @Test
  void machinesDegradeBeforeTheyFail() {
    List<Row> events = events(SimulatorConfig.forUseCase(UseCaseSpecs.MAINTENANCE), 30_000);
    double failing = 0;
    double failingGap = 0;
    double healthyGap = 0;
    double failingTorque = 0;
    double healthyTorque = 0;
    for (Row event : events) {
      double gap = event.getDouble("process_temperature") - event.getDouble("air_temperature");
      if (event.getBoolean("failure_within_horizon")) {
        failing++;
        failingGap += gap;
        failingTorque += event.getDouble("torque");
      } else {
        healthyGap += gap;
        healthyTorque += event.getDouble("torque");
      }
    }
    double healthy = events.size() - failing;
    assertTrue(failing / events.size() > 0.02 && failing / events.size() < 0.2, "" + failing);
    assertTrue(failingTorque / failing > healthyTorque / healthy + 3, "torque rises");
    assertTrue(failingGap / failing < healthyGap / healthy, "heat gap shrinks");
  }
}
