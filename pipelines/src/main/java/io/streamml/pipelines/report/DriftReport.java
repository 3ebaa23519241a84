package io.streamml.pipelines.report;

import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.WindowProfile;
import io.streamml.transforms.drift.DriftThresholds;
import io.streamml.transforms.drift.FeatureReference;
import io.streamml.transforms.drift.ReferenceProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Renders a drift run's output as one self-contained HTML page (inline CSS and SVG, no script, no
 * server): a summary per column and per window, then for each column the reference histogram beside
 * the latest window's, its metrics over time with the thresholds, and a table of windows. Segmented
 * runs are summed across segments per window.
 */
public final class DriftReport {

  private static final Map<String, String> VERDICT_COLORS =
      Map.of(
          DriftMetric.Verdict.OK.name(), "#2e8b57",
          DriftMetric.Verdict.WARN.name(), "#d4a017",
          DriftMetric.Verdict.DRIFT.name(), "#c0392b",
          DriftMetric.Verdict.INSUFFICIENT_DATA.name(), "#999999");

  private DriftReport() {}

  /** The page for {@code metrics} and {@code profiles} of one run against {@code reference}. */
  public static String render(
      String title,
      List<Row> metrics,
      List<Row> profiles,
      ReferenceProfile reference,
      DriftThresholds thresholds) {
    List<String> columns = new ArrayList<>(reference.featureNames());
    columns.add(ReferenceProfile.SCORE);
    Map<String, List<Row>> metricsByColumn = byColumn(metrics, DriftMetric.COLUMN);
    Map<String, List<Row>> profilesByColumn = byColumn(profiles, WindowProfile.COLUMN);
    columns.removeIf(c -> !metricsByColumn.containsKey(c));

    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>")
        .append(Html.escape(title))
        .append("</title><style>")
        .append(
            "body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
                + "table{border-collapse:collapse;font-size:13px;margin:8px 0}"
                + "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}"
                + "th{background:#f3f3f3}td.l,th.l{text-align:left}"
                + ".v{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}"
                + "section{border-top:1px solid #ccc;margin-top:24px;padding-top:8px}"
                + ".charts{display:flex;gap:24px;flex-wrap:wrap}.key{font-size:12px;color:#555}")
        .append("</style></head><body><h1>")
        .append(Html.escape(title))
        .append("</h1>");
    appendSummary(html, columns, metricsByColumn);
    for (String column : columns) {
      appendColumn(
          html,
          column,
          metricsByColumn.get(column),
          profilesByColumn.getOrDefault(column, List.of()),
          reference.column(column),
          thresholds);
    }
    return html.append("</body></html>").toString();
  }

  private static Map<String, List<Row>> byColumn(List<Row> rows, String field) {
    Map<String, List<Row>> grouped = new LinkedHashMap<>();
    for (Row row : rows) {
      grouped.computeIfAbsent(row.getString(field), c -> new ArrayList<>()).add(row);
    }
    return grouped;
  }

  private static Instant windowOf(Row row, String field) {
    return row.getDateTime(field).toInstant();
  }

  private static void appendSummary(
      StringBuilder html, List<String> columns, Map<String, List<Row>> metricsByColumn) {
    html.append("<h2>Summary</h2><table><tr><th class='l'>column</th><th>windows</th>")
        .append("<th>drift</th><th>warn</th><th>max PSI</th><th class='l'>first drift</th></tr>");
    for (String column : columns) {
      List<Row> rows = metricsByColumn.get(column);
      int drift = 0;
      int warn = 0;
      double maxPsi = Double.NaN;
      Instant first = null;
      for (Row m : rows) {
        String verdict = m.getString(DriftMetric.VERDICT);
        if (DriftMetric.Verdict.DRIFT.name().equals(verdict)) {
          drift++;
          Instant w = windowOf(m, DriftMetric.WINDOW_START);
          first = first == null || w.isBefore(first) ? w : first;
        } else if (DriftMetric.Verdict.WARN.name().equals(verdict)) {
          warn++;
        }
        Double psi = m.getDouble(DriftMetric.PSI);
        if (psi != null) {
          maxPsi = Double.isNaN(maxPsi) ? psi : Math.max(maxPsi, psi);
        }
      }
      html.append("<tr><td class='l'><a href='#col-")
          .append(Html.escape(column))
          .append("'>")
          .append(Html.escape(column))
          .append("</a></td><td>")
          .append(rows.size())
          .append("</td><td>")
          .append(drift)
          .append("</td><td>")
          .append(warn)
          .append("</td><td>")
          .append(number(maxPsi))
          .append("</td><td class='l'>")
          .append(first == null ? "-" : first.toString())
          .append("</td></tr>");
    }
    html.append("</table>");
  }

  private static void appendColumn(
      StringBuilder html,
      String column,
      List<Row> metrics,
      List<Row> profiles,
      FeatureReference reference,
      DriftThresholds thresholds) {
    // One value per window: segments are summed (counts) or the worst verdict kept.
    Map<Instant, Row> perWindow = new TreeMap<>();
    for (Row m : metrics) {
      perWindow.merge(
          windowOf(m, DriftMetric.WINDOW_START),
          m,
          (a, b) ->
              rank(b.getString(DriftMetric.VERDICT)) > rank(a.getString(DriftMetric.VERDICT))
                  ? b
                  : a);
    }
    List<String> labels = new ArrayList<>();
    double[] psi = new double[perWindow.size()];
    double[] js = new double[perWindow.size()];
    double[] wasserstein = new double[perWindow.size()];
    List<String> verdictColors = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Instant, Row> e : perWindow.entrySet()) {
      Row m = e.getValue();
      labels.add(e.getKey().toString());
      psi[i] = orNaN(m.getDouble(DriftMetric.PSI));
      js[i] = orNaN(m.getDouble(DriftMetric.JS_DISTANCE));
      wasserstein[i] = orNaN(m.getDouble(DriftMetric.WASSERSTEIN_NORMALIZED));
      verdictColors.add(VERDICT_COLORS.get(m.getString(DriftMetric.VERDICT)));
      i++;
    }
    html.append("<section id='col-")
        .append(Html.escape(column))
        .append("'><h2>")
        .append(Html.escape(column))
        .append("</h2><div class='charts'><div>")
        .append(latestHistogram(profiles, reference))
        .append("<div class='key'><span style='color:")
        .append(SvgCharts.REFERENCE_COLOR)
        .append("'>&#9632; reference (training)</span> <span style='color:")
        .append(SvgCharts.CURRENT_COLOR)
        .append("'>&#9632; latest window</span></div></div><div>")
        .append(
            SvgCharts.lines(
                labels,
                List.of(psi, js, wasserstein),
                List.of("PSI", "JS distance", "Wasserstein (normalized)"),
                List.of("#333", "#2a7ab0", "#8e44ad"),
                new double[] {
                  thresholds.warn(column, DriftMetric.PSI),
                  thresholds.drift(column, DriftMetric.PSI)
                },
                verdictColors))
        .append("<div class='key'><span style='color:#333'>&#9644; PSI</span>")
        .append(" <span style='color:#2a7ab0'>&#9644; JS distance</span>")
        .append(" <span style='color:#8e44ad'>&#9644; Wasserstein/std</span>")
        .append(" <span style='color:#b00'>- - PSI warn / drift</span></div></div></div>");
    html.append("<table><tr><th class='l'>window</th><th>count</th><th>missing</th><th>PSI</th>")
        .append("<th>KS</th><th>KS p</th><th>JS</th><th>W/std</th><th>L&infin;</th>")
        .append("<th class='l'>verdict</th>")
        .append("<th class='l'>reasons</th></tr>");
    for (Map.Entry<Instant, Row> e : perWindow.entrySet()) {
      Row m = e.getValue();
      String verdict = m.getString(DriftMetric.VERDICT);
      html.append("<tr><td class='l'>")
          .append(e.getKey())
          .append("</td><td>")
          .append(m.getInt64(DriftMetric.COUNT))
          .append("</td><td>")
          .append(m.getInt64(DriftMetric.MISSING))
          .append("</td><td>")
          .append(number(m.getDouble(DriftMetric.PSI)))
          .append("</td><td>")
          .append(number(m.getDouble(DriftMetric.KS)))
          .append("</td><td>")
          .append(number(m.getDouble(DriftMetric.KS_P_VALUE)))
          .append("</td><td>")
          .append(number(m.getDouble(DriftMetric.JS_DISTANCE)))
          .append("</td><td>")
          .append(number(m.getDouble(DriftMetric.WASSERSTEIN_NORMALIZED)))
          .append("</td><td>")
          .append(number(m.getDouble(DriftMetric.L_INFINITY)))
          .append("</td><td class='l'><span class='v' style='background:")
          .append(VERDICT_COLORS.get(verdict))
          .append("'>")
          .append(verdict)
          .append("</span></td><td class='l'>")
          .append(Html.escape(m.getString(DriftMetric.REASONS)))
          .append("</td></tr>");
    }
    html.append("</table></section>");
  }

  /** The reference's bin shares beside the latest window's (summed over its segments). */
  private static String latestHistogram(List<Row> profiles, FeatureReference reference) {
    Instant latest =
        profiles.stream()
            .map(p -> windowOf(p, WindowProfile.WINDOW_START))
            .max(Comparator.naturalOrder())
            .orElse(null);
    long[] counts = new long[reference.numBins()];
    for (Row p : profiles) {
      if (windowOf(p, WindowProfile.WINDOW_START).equals(latest)) {
        int b = 0;
        for (Long c : p.<Long>getArray(WindowProfile.BIN_COUNTS)) {
          counts[b++] += c;
        }
      }
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    double[] current = new double[counts.length];
    for (int b = 0; b < counts.length; b++) {
      current[b] = total == 0 ? 0 : (double) counts[b] / total;
    }
    return SvgCharts.histogram(reference.proportions(), current, binLabels(reference.edges()));
  }

  static List<String> binLabels(double[] edges) {
    List<String> labels = new ArrayList<>();
    if (edges.length == 0) {
      labels.add("all values");
      return labels;
    }
    labels.add("< " + number(edges[0]));
    for (int i = 1; i < edges.length; i++) {
      labels.add("[" + number(edges[i - 1]) + ", " + number(edges[i]) + ")");
    }
    labels.add(">= " + number(edges[edges.length - 1]));
    return labels;
  }

  /** Worse verdicts rank higher: a window shows its worst segment. */
  private static int rank(String verdict) {
    return List.of(
            DriftMetric.Verdict.OK.name(),
            DriftMetric.Verdict.INSUFFICIENT_DATA.name(),
            DriftMetric.Verdict.WARN.name(),
            DriftMetric.Verdict.DRIFT.name())
        .indexOf(verdict);
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }

  private static String number(Double value) {
    return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.4g", value);
  }
}
