package io.streamml.pipelines;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.UseCaseSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
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
    DriftSummary summary = DriftSummary.read(DriftPipeline.metricsPrefix(options) + "*", share);
    long windowMillis = options.getDriftWindowMinutes() * 60_000L;
    int[] before = new int[2];
    int[] after = new int[2];
    summary
        .driftedShareByWindow()
        .forEach(
            (start, drifted) -> {
              int[] side = side(start, windowMillis, shift, before, after);
              if (side != null) {
                side[0] += drifted >= share ? 1 : 0;
                side[1]++;
              }
            });
    // Per column: drifted in every window after the shift and in none before it.
    Map<String, int[]> columns = new TreeMap<>();
    for (Row m : summary.metrics()) {
      Instant start = m.getDateTime(DriftMetric.WINDOW_START).toInstant();
      int[] counts = columns.computeIfAbsent(m.getString(DriftMetric.COLUMN), c -> new int[3]);
      boolean drifted = DriftMetric.Verdict.DRIFT.name().equals(m.getString(DriftMetric.VERDICT));
      if (!start.plus(windowMillis).isAfter(shift)) {
        counts[0] += drifted ? 1 : 0;
      } else if (!start.isBefore(shift)) {
        counts[1] += drifted ? 1 : 0;
        counts[2]++;
      }
    }
    List<String> shifted = new ArrayList<>();
    columns.forEach(
        (column, c) -> {
          if (c[0] == 0 && c[2] > 0 && c[1] == c[2]) {
            shifted.add(column);
          }
        });
    out.printf(
        "streamml demo: dataset drift in %d of %d windows before the shift, %d of %d after it%n",
        before[0], before[1], after[0], after[1]);
    out.printf(
        "streamml demo: drifted after the shift and not before: %s%n",
        shifted.isEmpty() ? "(none)" : String.join(", ", shifted));
  }

  /** The side of the shift a window is on; null for the window that holds it. */
  private static int @Nullable [] side(
      Instant start, long windowMillis, Instant shift, int[] before, int[] after) {
    if (!start.plus(windowMillis).isAfter(shift)) {
      return before;
    }
    return !start.isBefore(shift) ? after : null;
  }
}
