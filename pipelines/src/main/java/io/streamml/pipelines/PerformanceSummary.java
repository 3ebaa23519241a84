package io.streamml.pipelines;

import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.RowJsonCodec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The model quality per window a drift run measured from labels, read back in window order. */
public final class PerformanceSummary {

  private final List<Row> windows;

  private PerformanceSummary(List<Row> windows) {
    this.windows = windows;
  }

  public static PerformanceSummary read(String pattern) {
    RowJsonCodec codec = RowJsonCodec.of(ModelPerformance.schema());
    List<Row> rows = new ArrayList<>();
    OutputFiles.forEachLine(pattern, line -> rows.add(codec.parse(line)));
    rows.sort(Comparator.comparing(r -> r.getDateTime(ModelPerformance.WINDOW_START)));
    return new PerformanceSummary(rows);
  }

  public List<Row> windows() {
    return windows;
  }

  public void print(PrintStream out) {
    out.printf(
        "%-26s %9s %9s %8s %9s %9s%n",
        "window", "labelled", "positive", "AUC", "precision", "recall");
    for (Row w : windows) {
      out.printf(
          "%-26s %9d %9d %8s %9s %9s%n",
          w.getDateTime(ModelPerformance.WINDOW_START),
          w.getInt64(ModelPerformance.LABELLED),
          w.getInt64(ModelPerformance.POSITIVES),
          format(w.getDouble(ModelPerformance.AUC_ROC)),
          format(w.getDouble(ModelPerformance.PRECISION)),
          format(w.getDouble(ModelPerformance.RECALL)));
    }
  }

  private static String format(Double value) {
    return value == null ? "-" : String.format("%.4f", value);
  }
}
