package io.streamml.pipelines;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.transforms.drift.ReferenceProfile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * What a drift run found, read back from its metric files: per column, how many windows drifted or
 * warned and when drift was first seen; per window, the dataset-level verdict (the share of feature
 * columns that drifted, at or above the run's {@code --datasetDriftShare} = drift).
 */
public final class DriftSummary {

  private final List<Row> metrics;
  private final double datasetDriftShare;

  private DriftSummary(List<Row> metrics, double datasetDriftShare) {
    this.metrics = metrics;
    this.datasetDriftShare = datasetDriftShare;
  }

  /** The metrics in the files of {@code pattern}, judged at {@code datasetDriftShare}. */
  public static DriftSummary read(String pattern, double datasetDriftShare) {
    RowJsonCodec codec = RowJsonCodec.of(DriftMetric.schema());
    List<Row> metrics = new ArrayList<>();
    OutputFiles.forEachLine(pattern, line -> metrics.add(codec.parse(line)));
    return new DriftSummary(metrics, datasetDriftShare);
  }

  public List<Row> metrics() {
    return metrics;
  }

  /** Window start → share of feature columns (not the score) whose verdict is DRIFT. */
  public Map<Instant, Double> driftedShareByWindow() {
    Map<Instant, int[]> counts = new TreeMap<>();
    for (Row m : metrics) {
      if (m.getString(DriftMetric.COLUMN).equals(ReferenceProfile.SCORE)) {
        continue;
      }
      int[] c =
          counts.computeIfAbsent(
              m.getDateTime(DriftMetric.WINDOW_START).toInstant(), w -> new int[2]);
      c[1]++;
      if (DriftMetric.Verdict.DRIFT.name().equals(m.getString(DriftMetric.VERDICT))) {
        c[0]++;
      }
    }
    Map<Instant, Double> shares = new TreeMap<>();
    counts.forEach((window, c) -> shares.put(window, c[1] == 0 ? 0 : (double) c[0] / c[1]));
    return shares;
  }

  /** The first window whose dataset-level verdict is drift, or null. */
  public Instant firstDatasetDrift() {
    for (Map.Entry<Instant, Double> e : driftedShareByWindow().entrySet()) {
      if (e.getValue() >= datasetDriftShare) {
        return e.getKey();
      }
    }
    return null;
  }

  public void print(PrintStream out) {
    Map<String, int[]> byColumn = new TreeMap<>();
    Map<String, Instant> firstDrift = new TreeMap<>();
    Map<String, Double> maxPsi = new TreeMap<>();
    for (Row m : metrics) {
      String column = m.getString(DriftMetric.COLUMN);
      int[] c = byColumn.computeIfAbsent(column, k -> new int[3]);
      c[0]++;
      String verdict = m.getString(DriftMetric.VERDICT);
      Instant window = m.getDateTime(DriftMetric.WINDOW_START).toInstant();
      if (DriftMetric.Verdict.DRIFT.name().equals(verdict)) {
        c[1]++;
        firstDrift.merge(column, window, (a, b) -> a.isBefore(b) ? a : b);
      } else if (DriftMetric.Verdict.WARN.name().equals(verdict)) {
        c[2]++;
      }
      Double psi = m.getDouble(DriftMetric.PSI);
      if (psi != null) {
        maxPsi.merge(column, psi, Math::max);
      }
    }
    out.printf(
        "%-28s %8s %7s %6s %9s  %s%n",
        "column", "windows", "drift", "warn", "max PSI", "first drift window");
    byColumn.forEach(
        (column, c) ->
            out.printf(
                "%-28s %8d %7d %6d %9.4f  %s%n",
                column,
                c[0],
                c[1],
                c[2],
                maxPsi.getOrDefault(column, Double.NaN),
                firstDrift.containsKey(column) ? firstDrift.get(column) : "-"));
    Map<Instant, Double> shares = driftedShareByWindow();
    long drifted = shares.values().stream().filter(s -> s >= datasetDriftShare).count();
    Instant first = firstDatasetDrift();
    out.printf(
        "dataset drift (>= %.0f%% of features drifted) in %d of %d windows%s%n",
        100 * datasetDriftShare,
        drifted,
        shares.size(),
        first == null ? "" : ", first at " + first);
  }
}
