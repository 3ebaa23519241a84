package io.streamml.transforms.sim;

import io.streamml.schemas.UseCaseSpec;
import io.streamml.schemas.UseCaseSpecs;
import java.util.SplittableRandom;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Machine telemetry with learnable failures. Each machine runs tool cycles of its own length; a
 * cycle ends with a tool change or, for some cycles, a failure (tool wear, heat dissipation or
 * power). In the last hour before a failure the readings degrade (torque, speed, temperature gap),
 * and readings in the last {@value #HORIZON_MINUTES} minutes are labelled failure_within_horizon.
 * Some healthy cycles show a milder spell, so the signal is not perfect. After the shift time the
 * air is warmer and torque higher.
 *
 * <p>Machine {@code i % machines} reports reading {@code i}, one reading per machine per minute, so
 * event time never decreases with the index.
 */
final class MaintenanceSimulator implements EventSimulator {

  static final long READING_INTERVAL_MILLIS = 60_000;
  static final int HORIZON_MINUTES = 30;
  private static final int DEFAULT_MACHINES = 50;
  private static final int DEGRADATION_MINUTES = 60;
  private static final String[] TYPES = {"L", "M", "H"};
  private static final double[] TYPE_WEIGHTS = {50, 30, 20};
  private static final double[] WEAR_PER_MINUTE = {1.0, 1.1, 1.25};

  private enum Failure {
    WEAR,
    HEAT,
    POWER
  }

  private final SimulatorConfig config;
  private final UseCaseSpec spec;
  private final int machines;

  MaintenanceSimulator(SimulatorConfig config) {
    this.config = config;
    this.spec = UseCaseSpecs.builtIn(UseCaseSpecs.MAINTENANCE);
    this.machines = config.entities() > 0 ? config.entities() : DEFAULT_MACHINES;
  }

  @Override
  public UseCaseSpec spec() {
    return spec;
  }

  @Override
  public Instant timeLowerBound(long index) {
    return eventTime(index);
  }

  private Instant eventTime(long index) {
    return config.startTime().plus(index * READING_INTERVAL_MILLIS / machines);
  }

  @Override
  public Row event(long index) {
    int machine = (int) (index % machines);
    Instant time = eventTime(index);
    SplittableRandom profile = SimRandom.of(config.seed(), "machine", machine);
    int type = SimRandom.weighted(profile, TYPE_WEIGHTS);
    int cycleMinutes = 150 + profile.nextInt(120);
    double phaseMinutes = profile.nextInt(cycleMinutes);

    double minutes = (time.getMillis() - config.startTime().getMillis()) / 60_000.0;
    long cycle = (long) Math.floor((minutes + phaseMinutes) / cycleMinutes);
    double intoCycle = minutes + phaseMinutes - cycle * cycleMinutes;
    double minutesLeft = cycleMinutes - intoCycle;

    SplittableRandom cycleRandom = SimRandom.of(config.seed(), "cycle", machine, cycle);
    boolean fails = cycleRandom.nextDouble() < 0.4;
    Failure failure = Failure.values()[cycleRandom.nextInt(Failure.values().length)];
    boolean falseAlarm = !fails && cycleRandom.nextDouble() < 0.15;
    double degradation = Math.max(0, Math.min(1, 1 - minutesLeft / DEGRADATION_MINUTES));
    if (!fails) {
      degradation = falseAlarm ? 0.5 * degradation : 0;
    }

    SplittableRandom noise = SimRandom.of(config.seed(), "reading", index);
    boolean shifted = config.isShifted(time);
    double air =
        298
            + 2 * Math.sin(2 * Math.PI * minutes / 1440)
            + 0.4 * SimRandom.gaussian(noise)
            + (shifted ? 4 : 0);
    double process = air + 10 + 0.4 * SimRandom.gaussian(noise);
    double speed = 1500 + 100 * type + 60 * SimRandom.gaussian(noise);
    double torque = 40 - 3 * type + 6 * SimRandom.gaussian(noise) + (shifted ? 4 : 0);
    switch (failure) {
      case WEAR:
        torque += 14 * degradation;
        speed -= 80 * degradation;
        break;
      case HEAT:
        process -= 3.5 * degradation;
        speed -= 150 * degradation;
        break;
      case POWER:
        torque += 22 * degradation;
        speed += 250 * degradation;
        break;
    }
    double wear = intoCycle * WEAR_PER_MINUTE[type];

    return Row.withSchema(spec.eventSchema())
        .withFieldValue("reading_id", "r-" + index)
        .withFieldValue("machine_id", String.format("machine-%03d", machine))
        .withFieldValue("machine_type", TYPES[type])
        .withFieldValue("air_temperature", SimRandom.round(air, 1))
        .withFieldValue("process_temperature", SimRandom.round(process, 1))
        .withFieldValue("rotational_speed", SimRandom.round(Math.max(0, speed), 0))
        .withFieldValue("torque", SimRandom.round(Math.max(0, torque), 1))
        .withFieldValue("tool_wear", SimRandom.round(wear, 0))
        .withFieldValue("event_time", time)
        .withFieldValue("failure_within_horizon", fails && minutesLeft <= HORIZON_MINUTES)
        .build();
  }
}
