package io.streamml.transforms.ingest;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import io.streamml.transforms.sim.SimulateEvents;
import io.streamml.transforms.sim.SimulatorConfig;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Raw events as text, one JSON object per element, from JSON-lines files or the built-in simulator.
 * Follow it with {@link ParseEvents}, which turns each payload into an event or a dead letter, so
 * nothing read is lost.
 *
 * <p>Files are bounded; blank lines are kept (and dead-lettered by parsing). The simulator is
 * bounded or unbounded as configured, with element timestamps at event time.
 */
public final class ReadEvents extends PTransform<PBegin, PCollection<String>> {

  private final @Nullable String filePattern;
  private final @Nullable SimulatorConfig simulator;

  private ReadEvents(@Nullable String filePattern, @Nullable SimulatorConfig simulator) {
    this.filePattern = filePattern;
    this.simulator = simulator;
  }

  /** Every line of the files matching {@code filePattern} (any Beam filesystem; globs allowed). */
  public static ReadEvents fromJsonLines(String filePattern) {
    checkArgument(
        filePattern != null && !filePattern.isBlank(),
        "filePattern must not be blank: %s",
        filePattern);
    return new ReadEvents(filePattern, null);
  }

  public static ReadEvents fromSimulator(SimulatorConfig config) {
    checkArgument(config != null, "simulator config must not be null");
    return new ReadEvents(null, config);
  }

  /** Where the events come from, as dead letters name it: {@code file:...} or {@code sim:...}. */
  public String sourceName() {
    return filePattern != null ? "file:" + filePattern : "simulator:" + simulator.useCase();
  }

  @Override
  public PCollection<String> expand(PBegin input) {
    if (filePattern != null) {
      return input.apply(
          "ReadJsonLines",
          TextIO.read().from(filePattern).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW));
    }
    return input.apply("SimulateEvents", SimulateEvents.from(simulator));
  }
}
