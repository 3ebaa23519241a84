package io.streamml.pipelines.report;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts, so a report is one self-contained file that needs no script. */
final class SvgCharts {

  static final String REFERENCE_COLOR = "#7a8ca5";
  static final String CURRENT_COLOR = "#e0782b";
  private static final int WIDTH = 420;
  private static final int HEIGHT = 160;
  private static final int PAD = 28;

  private SvgCharts() {}

  /** Side-by-side bars of two share histograms on the same bins, labelled by their bins. */
  static String histogram(double[] reference, double[] current, List<String> binLabels) {
    double max = 1e-9;
    for (int i = 0; i < reference.length; i++) {
      max = Math.max(max, Math.max(reference[i], current[i]));
    }
    int bins = reference.length;
    double slot = (WIDTH - 2.0 * PAD) / bins;
    double bar = slot * 0.4;
    StringBuilder svg = open("reference vs current share per bin");
    axis(svg);
    for (int i = 0; i < bins; i++) {
      double x = PAD + i * slot + slot * 0.1;
      rect(svg, x, reference[i] / max, bar, REFERENCE_COLOR, binLabels.get(i), reference[i]);
      rect(svg, x + bar, current[i] / max, bar, CURRENT_COLOR, binLabels.get(i), current[i]);
    }
    svg.append(text(PAD, 12, String.format(Locale.ROOT, "max share %.3f", max), "start", "#555"));
    return svg.append("</svg>").toString();
  }

  /**
   * A line per series over the windows, with dashed threshold lines; points are coloured by the
   * window's verdict.
   */
  static String lines(
      List<String> windowLabels,
      List<double[]> series,
      List<String> seriesNames,
      List<String> seriesColors,
      double[] thresholds,
      List<String> verdictColors) {
    double max = 1e-9;
    for (double[] values : series) {
      for (double v : values) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    for (double t : thresholds) {
      if (Double.isFinite(t)) {
        max = Math.max(max, t * 1.1);
      }
    }
    int n = windowLabels.size();
    StringBuilder svg = open("drift metrics per window");
    axis(svg);
    for (double t : thresholds) {
      if (Double.isFinite(t)) {
        double y = y(t / max);
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#b00' stroke-dasharray='4 3'"
                    + " stroke-width='1'/>",
                PAD,
                WIDTH - PAD,
                y,
                y));
      }
    }
    for (int s = 0; s < series.size(); s++) {
      StringBuilder points = new StringBuilder();
      double[] values = series.get(s);
      for (int i = 0; i < n; i++) {
        if (!Double.isNaN(values[i])) {
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, n), y(values[i] / max)));
        }
      }
      svg.append(
          String.format(
              "<polyline fill='none' stroke='%s' stroke-width='1.5' points='%s'/>",
              seriesColors.get(s), points.toString().trim()));
    }
    double[] first = series.get(0);
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(first[i])) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'><title>%s: %s %.4f</title></circle>",
                x(i, n),
                y(first[i] / max),
                verdictColors.get(i),
                Html.escape(windowLabels.get(i)),
                Html.escape(seriesNames.get(0)),
                first[i]));
      }
    }
    svg.append(text(PAD, 12, String.format(Locale.ROOT, "max %.3f", max), "start", "#555"));
    if (n > 0) {
      svg.append(text(PAD, HEIGHT - 4, windowLabels.get(0), "start", "#555"));
      svg.append(text(WIDTH - PAD, HEIGHT - 4, windowLabels.get(n - 1), "end", "#555"));
    }
    return svg.append("</svg>").toString();
  }

  private static double x(int i, int n) {
    return n <= 1 ? WIDTH / 2.0 : PAD + i * (WIDTH - 2.0 * PAD) / (n - 1);
  }

  private static double y(double fraction) {
    return HEIGHT - PAD - fraction * (HEIGHT - 2.0 * PAD);
  }

  private static StringBuilder open(String label) {
    return new StringBuilder(
        String.format(
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' role='img'"
                + " aria-label='%s'>",
            WIDTH, HEIGHT, label));
  }

  private static void axis(StringBuilder svg) {
    svg.append(
        String.format(
            "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='#999'/>",
            PAD, WIDTH - PAD, HEIGHT - PAD, HEIGHT - PAD));
  }

  private static void rect(
      StringBuilder svg,
      double x,
      double fraction,
      double width,
      String color,
      String label,
      double share) {
    double top = y(fraction);
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s: %.4f</title>"
                + "</rect>",
            x,
            top,
            width,
            HEIGHT - PAD - top,
            color,
            Html.escape(label),
            share));
  }

  private static String text(double x, double y, String text, String anchor, String color) {
    return String.format(
        Locale.ROOT,
        "<text x='%.1f' y='%.1f' font-size='10' text-anchor='%s' fill='%s'>%s</text>",
        x,
        y,
        anchor,
        color,
        Html.escape(text));
  }
}
