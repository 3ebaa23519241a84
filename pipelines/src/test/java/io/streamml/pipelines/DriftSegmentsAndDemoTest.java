package io.streamml.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.streamml.pipelines.cli.StreammlCli;
import io.streamml.schemas.DatasetDrift;
import io.streamml.schemas.DriftMetric;
import io.streamml.schemas.ModelPerformance;
import io.streamml.schemas.RowJsonCodec;
import io.streamml.schemas.UseCaseSpecs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.Row;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * {@code drift --segmentField} end to end on fraud (per-event features: the segment is joined by
 * event id) and maintenance (per-window features: the machine's type), and {@code demo --drift}
 * showing drift after the shift it injects and not before.
 */
@RunWith(JUnit4.class)
public class DriftSegmentsAndDemoTest {

  @ClassRule public static final TemporaryFolder FOLDER = new TemporaryFolder();

  private static String fraudRegistry;
  private static String maintenanceRegistry;
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static final PrintStream OUT = new PrintStream(LOG, true, StandardCharsets.UTF_8);

  @BeforeClass
  public static void trainBothUseCases() throws Exception {
    Path root = FOLDER.getRoot().toPath();
    fraudRegistry = root.resolve("fraud-registry").toString();
    maintenanceRegistry = root.resolve("maintenance-registry").toString();
    TrainPipeline.run(
        train("--events=4000", "--registry=" + fraudRegistry, "--output=" + root.resolve("t1")),
        OUT);
    TrainPipeline.run(
        train(
            "--useCase=maintenance",
            "--events=6000",
            "--registry=" + maintenanceRegistry,
            "--output=" + root.resolve("t2")),
        OUT);
  }

  private static TrainPipeline.Options train(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--rounds=20");
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new))
        .withValidation()
        .as(TrainPipeline.Options.class);
  }

  private static List<Row> metrics(DriftPipeline.Options options) {
    RowJsonCodec codec = RowJsonCodec.of(DriftMetric.schema());
    List<Row> rows = new ArrayList<>();
    OutputFiles.forEachLine(
        DriftPipeline.metricsPrefix(options) + "*", line -> rows.add(codec.parse(line)));
    return rows;
  }

  private static DriftPipeline.Options drift(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(DriftPipeline.Options.class);
  }

  @Test
  public void fraudDriftPerMerchantCategoryCountsEveryPaymentOnce() throws Exception {
    DriftPipeline.Options options =
        drift(
            "--events=3000",
            "--segmentField=merchant_category",
            "--registry=" + fraudRegistry,
            "--output=" + FOLDER.getRoot().toPath().resolve("fraud-segments"));
    assertTrue(DriftPipeline.run(options, OUT));
    Map<String, Long> amountsPerSegment = new HashMap<>();
    for (Row m : metrics(options)) {
      if (m.getString(DriftMetric.COLUMN).equals("amount")) {
        amountsPerSegment.merge(
            m.getString(DriftMetric.SEGMENT),
            m.getInt64(DriftMetric.COUNT) + m.getInt64(DriftMetric.MISSING),
            Long::sum);
      }
    }
    List<String> categories =
        UseCaseSpecs.builtIn(UseCaseSpecs.FRAUD).field("merchant_category").allowedValues();
    assertTrue(amountsPerSegment.toString(), categories.containsAll(amountsPerSegment.keySet()));
    assertTrue(amountsPerSegment.toString(), amountsPerSegment.size() >= 5);
    assertEquals(
        amountsPerSegment.toString(),
        3000L,
        amountsPerSegment.values().stream().mapToLong(Long::longValue).sum());
    // The score is profiled per segment too, and the dataset verdict is per segment.
    Set<String> scoreSegments = new TreeSet<>();
    for (Row m : metrics(options)) {
      if (m.getString(DriftMetric.COLUMN).equals("score")) {
        scoreSegments.add(m.getString(DriftMetric.SEGMENT));
      }
    }
    assertEquals(new TreeSet<>(amountsPerSegment.keySet()), scoreSegments);
    RowJsonCodec codec = RowJsonCodec.of(DatasetDrift.schema());
    Set<String> verdictSegments = new TreeSet<>();
    OutputFiles.forEachLine(
        DriftPipeline.datasetDriftPrefix(options) + "*",
        line -> verdictSegments.add(codec.parse(line).getString(DatasetDrift.SEGMENT)));
    assertEquals(scoreSegments, verdictSegments);
  }

  @Test
  public void maintenanceDriftPerMachineType() throws Exception {
    DriftPipeline.Options options =
        drift(
            "--useCase=maintenance",
            "--events=3000",
            "--segmentField=machine_type",
            "--minWindowCount=10",
            "--labelsFromEvents",
            "--registry=" + maintenanceRegistry,
            "--output=" + FOLDER.getRoot().toPath().resolve("maintenance-segments"));
    assertTrue(DriftPipeline.run(options, OUT));
    Set<String> segments = new TreeSet<>();
    for (Row m : metrics(options)) {
      segments.add(m.getString(DriftMetric.SEGMENT));
    }
    List<String> types =
        UseCaseSpecs.builtIn(UseCaseSpecs.MAINTENANCE).field("machine_type").allowedValues();
    // Vectors of sliding feature windows that end after their key's last event in a drift window
    // find no event there and fall in the unknown ("") segment.
    segments.remove("");
    assertEquals(new TreeSet<>(types), segments);
    // A window's vector carries its latest reading's id, so that reading's (delayed) label joins
    // the window's score: the model's quality is measured per drift window for maintenance too.
    RowJsonCodec codec = RowJsonCodec.of(ModelPerformance.schema());
    List<Row> performance = new ArrayList<>();
    OutputFiles.forEachLine(
        DriftPipeline.performancePrefix(options) + "*", line -> performance.add(codec.parse(line)));
    assertTrue(LOG.toString(StandardCharsets.UTF_8), !performance.isEmpty());
    long labelled =
        performance.stream().mapToLong(p -> p.getInt64(ModelPerformance.LABELLED)).sum();
    assertTrue(performance.toString(), labelled > 0);
  }

  @Test
  public void demoWithDriftShowsDriftAfterTheShiftItInjectsAndNotBefore() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit =
        StreammlCli.run(
            new String[] {
              "demo",
              "--drift",
              "--events=7200",
              "--driftWindowMinutes=30",
              "--registry=" + fraudRegistry,
              "--output=" + FOLDER.getRoot().toPath().resolve("demo")
            },
            out,
            out);
    String printed = log.toString(StandardCharsets.UTF_8);
    assertEquals(printed, 0, exit);
    assertTrue(printed, printed.contains("the simulated stream shifts at"));
    // The trailing features of a stream that starts cold drift before the shift too (warm-up, see
    // docs/drift.md), so the dataset verdict is judged after the shift and the payment's own
    // columns by name: they drift after it and not before.
    assertTrue(printed, printed.contains(" windows before the shift, 2 of 2 after"));
    String line =
        printed
            .lines()
            .filter(l -> l.contains("drifted after the shift and not before:"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no before/after line:\n" + printed));
    List<String> columns =
        List.of(
            line.substring(line.indexOf(':', line.indexOf("not before")) + 1).trim().split(", "));
    for (String column : List.of("amount", "log_amount", "is_online")) {
      assertTrue(line, columns.contains(column));
    }
  }
}
