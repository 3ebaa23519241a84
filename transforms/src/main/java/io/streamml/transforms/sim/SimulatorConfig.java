package io.streamml.transforms.sim;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.schemas.UseCaseSpecs;
import java.io.Serializable;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * What to simulate: the use case, the seed, how many events (or unbounded) and how fast, from when,
 * and the switches for a distribution shift and for malformed records. Immutable.
 */
public final class SimulatorConfig implements Serializable {

  /** Simulated time starts here unless told otherwise, so runs are reproducible. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final String useCase;
  private final long seed;
  private final @Nullable Long numEvents;
  private final @Nullable Double eventsPerSecond;
  private final Instant startTime;
  private final @Nullable Instant shiftFrom;
  private final double malformedRate;
  private final int entities;

  private SimulatorConfig(
      String useCase,
      long seed,
      @Nullable Long numEvents,
      @Nullable Double eventsPerSecond,
      Instant startTime,
      @Nullable Instant shiftFrom,
      double malformedRate,
      int entities) {
    this.useCase = useCase;
    this.seed = seed;
    this.numEvents = numEvents;
    this.eventsPerSecond = eventsPerSecond;
    this.startTime = startTime;
    this.shiftFrom = shiftFrom;
    this.malformedRate = malformedRate;
    this.entities = entities;
  }

  /** A bounded run of 10,000 events of {@code useCase} with seed 42 and no malformed records. */
  public static SimulatorConfig forUseCase(String useCase) {
    checkArgument(
        UseCaseSpecs.BUILT_IN.contains(useCase),
        "The simulator knows the use cases %s, not '%s'",
        UseCaseSpecs.BUILT_IN,
        useCase);
    return new SimulatorConfig(useCase, 42L, 10_000L, null, DEFAULT_START, null, 0.0, 0);
  }

  public SimulatorConfig withSeed(long seed) {
    return new SimulatorConfig(
        useCase, seed, numEvents, eventsPerSecond, startTime, shiftFrom, malformedRate, entities);
  }

  /** Stops after {@code numEvents}; null means unbounded. */
  public SimulatorConfig withNumEvents(@Nullable Long numEvents) {
    checkArgument(numEvents == null || numEvents >= 0, "numEvents must be >= 0: %s", numEvents);
    return new SimulatorConfig(
        useCase, seed, numEvents, eventsPerSecond, startTime, shiftFrom, malformedRate, entities);
  }

  /** Emits at most this many events per second of wall time; null means as fast as possible. */
  public SimulatorConfig withEventsPerSecond(@Nullable Double eventsPerSecond) {
    checkArgument(
        eventsPerSecond == null || eventsPerSecond > 0,
        "eventsPerSecond must be > 0: %s",
        eventsPerSecond);
    return new SimulatorConfig(
        useCase, seed, numEvents, eventsPerSecond, startTime, shiftFrom, malformedRate, entities);
  }

  public SimulatorConfig withStartTime(Instant startTime) {
    return new SimulatorConfig(
        useCase,
        seed,
        numEvents,
        eventsPerSecond,
        Objects.requireNonNull(startTime, "startTime"),
        shiftFrom,
        malformedRate,
        entities);
  }

  /** From this event time on, the simulated data drifts away from what came before. */
  public SimulatorConfig withShiftFrom(@Nullable Instant shiftFrom) {
    return new SimulatorConfig(
        useCase, seed, numEvents, eventsPerSecond, startTime, shiftFrom, malformedRate, entities);
  }

  /** Share (0 to 1) of records replaced by a malformed one (bad JSON, types, ranges, ...). */
  public SimulatorConfig withMalformedRate(double malformedRate) {
    checkArgument(
        malformedRate >= 0 && malformedRate <= 1,
        "malformedRate must be between 0 and 1: %s",
        malformedRate);
    return new SimulatorConfig(
        useCase, seed, numEvents, eventsPerSecond, startTime, shiftFrom, malformedRate, entities);
  }

  /** Number of cards (fraud) or machines (maintenance); 0 means the use case's default. */
  public SimulatorConfig withEntities(int entities) {
    checkArgument(entities >= 0, "entities must be >= 0: %s", entities);
    return new SimulatorConfig(
        useCase, seed, numEvents, eventsPerSecond, startTime, shiftFrom, malformedRate, entities);
  }

  public String useCase() {
    return useCase;
  }

  public long seed() {
    return seed;
  }

  public @Nullable Long numEvents() {
    return numEvents;
  }

  public @Nullable Double eventsPerSecond() {
    return eventsPerSecond;
  }

  public Instant startTime() {
    return startTime;
  }

  public @Nullable Instant shiftFrom() {
    return shiftFrom;
  }

  public double malformedRate() {
    return malformedRate;
  }

  public int entities() {
    return entities;
  }

  /** Bounded runs have a count and no rate limit; anything else is an unbounded stream. */
  public boolean isBounded() {
    return numEvents != null && eventsPerSecond == null;
  }

  /** The earliest event time the {@code index}-th event can have, e.g. to place a shift. */
  public Instant timeLowerBound(long index) {
    return EventSimulator.create(this).timeLowerBound(index);
  }

  boolean isShifted(Instant eventTime) {
    return shiftFrom != null && !eventTime.isBefore(shiftFrom);
  }
}
