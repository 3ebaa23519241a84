package io.streamml.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The built-in simulator's settings. The same settings give the same events on every runner. */
public interface SimulatorOptions extends PipelineOptions {

  @Description("Simulator seed; the same seed gives the same events.")
  @Default.Long(42)
  Long getSeed();

  void setSeed(Long value);

  @Description("Number of events to simulate; 0 means an unbounded stream.")
  @Default.Long(10_000)
  Long getEvents();

  void setEvents(Long value);

  @Description(
      "Emit at most this many events per second (wall time), as a stream. Unset: as fast as"
          + " possible, as a bounded batch.")
  Double getEventsPerSecond();

  void setEventsPerSecond(Double value);

  @Description("Event time of the first simulated event (ISO-8601).")
  @Default.String("2026-01-01T00:00:00Z")
  String getSimStartTime();

  void setSimStartTime(String value);

  @Description(
      "From this event time (ISO-8601) on, the simulated data drifts (fraud: higher, more online"
          + " spend; maintenance: warmer air, higher torque).")
  String getShiftFrom();

  void setShiftFrom(String value);

  @Description(
      "Share (0 to 1) of simulated records replaced by malformed ones. Default: 0.02 in demo, 0"
          + " elsewhere.")
  Double getMalformedRate();

  void setMalformedRate(Double value);

  @Description("Number of cards (fraud) or machines (maintenance); 0 means the default.")
  @Default.Integer(0)
  Integer getEntities();

  void setEntities(Integer value);
}
