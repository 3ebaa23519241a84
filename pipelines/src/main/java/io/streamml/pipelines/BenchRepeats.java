package io.streamml.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamml.pipelines.options.BenchOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs a benchmark {@code --repeats} times in one process and reports the median of its ratio
 * (pipeline rate over its ceiling, both measured in the same run), with the spread, and appends the
 * figures and the machine they were measured on to {@code --resultsFile}{@code .jsonl/.csv}.
 */
public final class BenchRepeats {

  /** One run of a benchmark: its ratio to the ceiling. */
  @FunctionalInterface
  public interface Run {
    double ratio() throws Exception;
  }

  /** A run's ratio and, for benchmarks that measure more (latencies), its other figures. */
  public static final class Figures {
    final double ratio;
    final Map<String, Double> named;

    public Figures(double ratio, Map<String, Double> named) {
      this.ratio = ratio;
      this.named = new LinkedHashMap<>(named);
    }
  }

  /** One run of a benchmark that measures more than a ratio. */
  @FunctionalInterface
  public interface MeasuredRun {
    Figures measure() throws Exception;
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CSV_HEADER =
      "time,benchmark,runner,flags,repeats,median_ratio,min_ratio,max_ratio,cores,max_heap_mb";

  private BenchRepeats() {}

  /** Runs {@code run} the asked number of times; returns the median ratio. */
  public static double run(
      String benchmark, BenchOptions options, String flags, PrintStream out, Run run)
      throws Exception {
    return runMeasured(benchmark, options, flags, out, () -> new Figures(run.ratio(), Map.of()));
  }

  /**
   * As {@link #run}, and also reports the median of each named figure and records every run's
   * figures.
   */
  public static double runMeasured(
      String benchmark, BenchOptions options, String flags, PrintStream out, MeasuredRun run)
      throws Exception {
    if (options.getRepeats() < 1) {
      throw new IllegalArgumentException(
          "--repeats must be at least 1, not " + options.getRepeats());
    }
    double[] ratios = new double[options.getRepeats()];
    List<Map<String, Double>> figures = new ArrayList<>();
    for (int i = 0; i < ratios.length; i++) {
      if (ratios.length > 1) {
        out.printf("%n%s: run %d of %d%n", benchmark, i + 1, ratios.length);
      }
      Figures measured = run.measure();
      ratios[i] = measured.ratio;
      figures.add(measured.named);
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    double median = median(sorted);
    Map<String, Double> medians = medians(figures);
    if (ratios.length > 1) {
      out.printf(
          "%n%s: median ratio %.3f over %d runs (min %.3f, max %.3f)%n",
          benchmark, median, ratios.length, sorted[0], sorted[sorted.length - 1]);
      medians.forEach((name, value) -> out.printf("  median %s: %.1f%n", name, value));
    }
    if (options.getResultsFile() != null) {
      append(benchmark, options, flags, ratios, sorted, median, figures, medians, out);
    }
    return median;
  }

  /** Each figure's median over the runs that have it. */
  private static Map<String, Double> medians(List<Map<String, Double>> figures) {
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String name : figures.get(0).keySet()) {
      double[] values =
          figures.stream()
              .filter(f -> f.containsKey(name))
              .mapToDouble(f -> f.get(name))
              .sorted()
              .toArray();
      medians.put(name, median(values));
    }
    return medians;
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void append(
      String benchmark,
      BenchOptions options,
      String flags,
      double[] ratios,
      double[] sorted,
      double median,
      List<Map<String, Double>> figures,
      Map<String, Double> medians,
      PrintStream out)
      throws IOException {
    String runner = runnerName(options);
    int cores = Runtime.getRuntime().availableProcessors();
    long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    String now = Instant.now().toString();
    ObjectNode json = MAPPER.createObjectNode();
    json.put("time", now);
    json.put("benchmark", benchmark);
    json.put("runner", runner);
    json.put("flags", flags);
    Arrays.stream(ratios).forEach(json.putArray("ratios")::add);
    json.put("median_ratio", median);
    if (!medians.isEmpty()) {
      figures.forEach(f -> json.withArray("figures").add(MAPPER.valueToTree(f)));
      json.set("median_figures", MAPPER.valueToTree(medians));
    }
    json.put("cores", cores);
    json.put("max_heap_mb", heapMb);
    Path jsonl = Path.of(options.getResultsFile() + ".jsonl");
    Path csv = Path.of(options.getResultsFile() + ".csv");
    if (jsonl.getParent() != null) {
      Files.createDirectories(jsonl.getParent());
    }
    Files.writeString(
        jsonl,
        json + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    List<String> lines = new ArrayList<>();
    if (!Files.exists(csv)) {
      lines.add(CSV_HEADER);
    }
    lines.add(
        String.join(
            ",",
            now,
            benchmark,
            runner,
            "\"" + flags.replace("\"", "'") + "\"",
            Integer.toString(ratios.length),
            format(median),
            format(sorted[0]),
            format(sorted[sorted.length - 1]),
            Integer.toString(cores),
            Long.toString(heapMb)));
    Files.write(
        csv, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    out.printf("%s: results appended to %s and %s%n", benchmark, jsonl, csv);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  private static String runnerName(PipelineOptions options) {
    return options.getRunner() == null ? "?" : options.getRunner().getSimpleName();
  }
}
