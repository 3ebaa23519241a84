package io.streamml.pipelines;

import io.streamml.schemas.UseCaseSpec;
import java.io.PrintStream;
import java.util.Map;
import org.joda.time.Instant;

/**
 * {@code demo --drift}: injects a distribution shift halfway through the simulated stream (unless
 * {@code --shiftFrom} is given) and, once the demo ran, shows drift found after the shift and not
 * before it. Drift needs a model; a first demo run into an empty registry trains one and skips it.
 */
public final class DemoDrift {

  private DemoDrift() {}

  /** Sets the shift before the run; says why drift is skipped when there is no model yet. */
  public static void prepare(DemoPipeline.Options options, PrintStream out) {
    if (!DemoPipeline.willScore(options)) {
      out.println(
          "streamml demo: --drift needs a model; this run trains one, run the demo again with"
              + " --drift to measure drift against it");
      return;
    }
    boolean simulated =
        options.getInput() == null
            && options.getInputArchive() == null
            && options.getInputTopic() == null
            && options.getBootstrapServers() == null;
    if (simulated && options.getShiftFrom() == null && options.getEvents() != null) {
      UseCaseSpec spec = EventInputs.useCaseSpec(options);
      Instant shift =
          EventInputs.simulatorConfig(options, spec, DemoPipeline.DEFAULT_MALFORMED_RATE)
              .timeLowerBound(options.getEvents() / 2);
      options.setShiftFrom(shift.toString());
    }
    if (options.getShiftFrom() != null) {
      out.printf(
          "streamml demo: the simulated stream shifts at %s (spend rises, more online and"
              + " abroad); drift is measured per %d-minute window%n",
          options.getShiftFrom(), options.getDriftWindowMinutes());
    }
  }

  /** Prints the drift results and, with a shift, how many windows drifted before and after it. */
  public static void print(DemoPipeline.Options options, UseCaseSpec spec, PrintStream out) {
    out.println();
    DriftPipeline.printResults(options, spec, out);
    if (options.getShiftFrom() == null) {
      return;
    }
    Instant shift = Instant.parse(options.getShiftFrom());
    double share = DriftSettings.of(options, spec.drift()).datasetDriftShare();
    int[] before = new int[2];
    int[] after = new int[2];
    Map<Instant, Double> shares =
        DriftSummary.read(DriftPipeline.metricsPrefix(options) + "*", share).driftedShareByWindow();
    long windowMillis = options.getDriftWindowMinutes() * 60_000L;
    shares.forEach(
        (start, drifted) -> {
          // A window that holds the shift is neither before nor after it.
          int[] side =
              !start.plus(windowMillis).isAfter(shift)
                  ? before
                  : !start.isBefore(shift) ? after : null;
          if (side != null) {
            side[0] += drifted >= share ? 1 : 0;
            side[1]++;
          }
        });
    out.printf(
        "streamml demo: dataset drift in %d of %d windows before the shift, %d of %d after it%n",
        before[0], before[1], after[0], after[1]);
  }
}
